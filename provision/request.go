package provision

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/httpsify/httpsify/provision/atomicfile"
	"github.com/httpsify/httpsify/provision/statedir"
)

// RequestVersion is the version of the stored request's JSON. A reader
// refuses a version it does not know rather than guess at its fields.
const RequestVersion = 1

// storedRequest is a Request on disk: what a later run (renewal) needs to
// issue and install the same certificate again without asking. The EAB
// HMAC is a secret and the EAB key id useless without it: neither is kept
// (the account they registered is). ForceRenew is one run's choice.
type storedRequest struct {
	Version    int      `json:"version"`
	Domains    []string `json:"domains"`
	Upstream   string   `json:"upstream,omitempty"`
	Email      string   `json:"email,omitempty"`
	AgreeTOS   bool     `json:"agree_tos"`
	Challenge  string   `json:"challenge"`
	CA         string   `json:"ca"`
	CARoot     string   `json:"ca_root,omitempty"`
	KeyType    string   `json:"key_type"`
	CertDir    string   `json:"cert_dir"`
	TLSProfile string   `json:"tls_profile"`
	HSTS       bool     `json:"hsts"`
	HTTP2      bool     `json:"http2"`
	BodySize   string   `json:"client_max_body_size,omitempty"`
	// Bring your own certificate (issue 12): "uploaded" and the files.
	CertSource string `json:"cert_source,omitempty"`
	CertFile   string `json:"cert_file,omitempty"`
	KeyFile    string `json:"key_file,omitempty"`
	ChainFile  string `json:"chain_file,omitempty"`

	// DNS-01 (issue 11): the provider and where its credentials are kept
	// (0600, under the state dir); never the values themselves.
	DNSProvider        string        `json:"dns_provider,omitempty"`
	DNSCredentialsFile string        `json:"dns_credentials_file,omitempty"`
	DNSResolvers       []string      `json:"dns_resolvers,omitempty"`
	DNSTimeout         time.Duration `json:"dns_timeout,omitempty"`
	DNSNSPort          int           `json:"dns_ns_port,omitempty"`

	// renew (issue 10): the ACME profile, the deploy hook and the host
	// settings a renewal runs with.
	ACMEProfile string      `json:"acme_profile,omitempty"`
	DeployHook  string      `json:"deploy_hook,omitempty"`
	Host        *storedHost `json:"host,omitempty"`

	// Take over from certbot (issue 12): the adopted lineage and the
	// certbot config dir it lives in (CertSource "certbot").
	CertbotDir     string `json:"certbot_dir,omitempty"`
	CertbotLineage string `json:"certbot_lineage,omitempty"`
}

// SaveRequest stores the site's request beside its certificates
// (<state>/archive/<primary>/request.json), 0600 as it holds the email.
func SaveRequest(l statedir.Layout, r *Request) error {
	sr := storedRequest{
		Version: RequestVersion, Domains: r.Domains, Email: r.Email, AgreeTOS: r.AgreeTOS,
		Challenge: r.Challenge, CA: r.CADirectory, CARoot: r.CARoot, KeyType: r.KeyType,
		CertDir: r.CertDir, TLSProfile: r.TLSProfile, HSTS: r.HSTS, HTTP2: r.HTTP2, BodySize: r.BodySize,
		CertSource: r.CertSource, CertFile: r.CertFile, KeyFile: r.KeyFile, ChainFile: r.ChainFile,
		DNSProvider: r.DNSProvider, DNSCredentialsFile: r.DNSCredentialsFile, DNSResolvers: r.DNSResolvers,
		DNSTimeout: r.DNSTimeout, DNSNSPort: r.DNSNSPort,
		ACMEProfile: r.ACMEProfile, DeployHook: r.DeployHook, Host: storeHost(r.host),
	}
	if r.FromCertbot() {
		sr.CertbotDir, sr.CertbotLineage = r.CertbotDir, r.CertbotLineage
	}
	if r.Upstream != nil {
		sr.Upstream = r.Upstream.String()
	}
	b, err := json.MarshalIndent(sr, "", "  ")
	if err != nil {
		return err
	}
	path := l.Request(r.Domains[0])
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return atomicfile.Write(path, append(b, '\n'), 0o600)
}

// ErrNoRequest: no request is stored for the name.
var ErrNoRequest = errors.New("no stored request")

// LoadRequest reads the request stored for primary and validates every
// field again, exactly as if it had been typed: the file is on disk, and
// nothing read from disk reaches a configuration unchecked.
func LoadRequest(l statedir.Layout, primary string) (*Request, error) {
	b, err := os.ReadFile(l.Request(primary))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoRequest
	}
	if err != nil {
		return nil, err
	}
	var sr storedRequest
	if err := json.Unmarshal(b, &sr); err != nil {
		return nil, fmt.Errorf("%s: %w", l.Request(primary), err)
	}
	if sr.Version != RequestVersion {
		return nil, fmt.Errorf("%s: version %d, this httpsify reads version %d", l.Request(primary), sr.Version, RequestVersion)
	}
	o := Options{
		Domains: sr.Domains, Upstream: sr.Upstream, Email: sr.Email, AgreeTOS: sr.AgreeTOS,
		Challenge: sr.Challenge, CA: sr.CA, CARoot: sr.CARoot, KeyType: sr.KeyType, CertDir: sr.CertDir,
		TLSProfile: sr.TLSProfile, HSTS: sr.HSTS, NoHTTP2: !sr.HTTP2, ClientMaxBodySize: sr.BodySize,
		StateDir: l.Root(), ACMEProfile: sr.ACMEProfile, DeployHook: sr.DeployHook,
		CertFile: sr.CertFile, KeyFile: sr.KeyFile, ChainFile: sr.ChainFile,
		DNSProvider: sr.DNSProvider, DNSCredentialsFile: sr.DNSCredentialsFile, DNSResolvers: sr.DNSResolvers,
		DNSTimeout: sr.DNSTimeout, DNSNSPort: sr.DNSNSPort,
		CertbotDir: sr.CertbotDir, CertbotLineage: sr.CertbotLineage,
	}
	if (sr.CertSource == SourceCertbot) != (sr.CertbotLineage != "") || (sr.CertbotLineage != "") != filepath.IsAbs(sr.CertbotDir) {
		return nil, fmt.Errorf("%s: cert_source %q does not match certbot_lineage %q in %q", l.Request(primary), sr.CertSource, sr.CertbotLineage, sr.CertbotDir)
	}
	if sr.CertSource != "" && sr.CertSource != SourceUploaded && sr.CertSource != SourceCertbot {
		return nil, fmt.Errorf("%s: unknown cert_source %q", l.Request(primary), sr.CertSource)
	}
	if (sr.CertSource == SourceUploaded) != (sr.CertFile != "") {
		return nil, fmt.Errorf("%s: cert_source %q does not match cert_file %q", l.Request(primary), sr.CertSource, sr.CertFile)
	}
	sr.Host.options(&o)
	s, err := o.validate(false, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", l.Request(primary), err)
	}
	if s.Primary() != primary {
		return nil, fmt.Errorf("%s: the request is for %s", l.Request(primary), s.Primary())
	}
	s.CertDirGiven = s.CertDir != l.Live(primary)
	if sr.Host != nil {
		s.Request.host = &s.Host
	}
	return &s.Request, nil
}
