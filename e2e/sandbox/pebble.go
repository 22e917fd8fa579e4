package sandbox

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// The ACME profiles the sandbox's Pebble offers (see Options.ShortLived).
const (
	ProfileDefault    = "default"
	ProfileShortLived = "shortlived"
	// DefaultValidity is ProfileDefault's, as Let's Encrypt's classic one.
	DefaultValidity = 90 * 24 * time.Hour
)

// pebbleProfiles is Pebble's "profiles" config: nil (Pebble's own single
// default) unless a short-lived one is wanted. Pebble makes a certificate
// valid validityPeriod seconds (NotAfter = NotBefore + validityPeriod - 1s).
func (s *Sandbox) pebbleProfiles() map[string]any {
	if s.shortLived == 0 {
		return nil
	}
	return map[string]any{
		ProfileDefault: map[string]any{
			"description":    "90 days, like Let's Encrypt's classic profile",
			"validityPeriod": int64(DefaultValidity / time.Second),
		},
		ProfileShortLived: map[string]any{
			"description":    "short-lived, like Let's Encrypt's shortlived profile but shorter",
			"validityPeriod": int64(s.shortLived / time.Second),
		},
	}
}

func (s *Sandbox) pebbleFile(name string) string { return filepath.Join(s.Dir, "pebble", name) }

func (s *Sandbox) writePebbleFiles() error {
	if err := writeListenerCerts(s.CARootFile, s.pebbleFile("listener-cert.pem"), s.pebbleFile("listener-key.pem")); err != nil {
		return fmt.Errorf("sandbox: making Pebble listener certs: %w", err)
	}
	// httpPort/tlsPort are where Pebble's VA connects for HTTP-01 and
	// TLS-ALPN-01: our nginx's ports, on the 127.0.0.1 that challtestsrv
	// resolves every name to.
	cfg := map[string]any{"pebble": map[string]any{
		"listenAddress":                  fmt.Sprintf("127.0.0.1:%d", s.acmePort),
		"managementListenAddress":        fmt.Sprintf("127.0.0.1:%d", s.pebbleMgmtPort),
		"certificate":                    s.pebbleFile("listener-cert.pem"),
		"privateKey":                     s.pebbleFile("listener-key.pem"),
		"httpPort":                       s.HTTPPort,
		"tlsPort":                        s.HTTPSPort,
		"ocspResponderURL":               "",
		"externalAccountBindingRequired": len(s.eab) > 0,
		"externalAccountMACKeys":         s.eab,
	}}
	if p := s.pebbleProfiles(); p != nil {
		cfg["pebble"].(map[string]any)["profiles"] = p
	}
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(s.pebbleFile("config.json"), b, 0o644)
}

// startChallSrv runs pebble-challtestsrv as DNS only: every A query gets
// 127.0.0.1 and AAAA gets nothing (so Pebble never tries ::1, where nginx
// does not listen). Its challenge servers are switched off ("" disables
// each); left at their defaults they would bind :5001-5003 and :8443 on all
// interfaces.
func (s *Sandbox) startChallSrv() error {
	bin, err := findBin("pebble-challtestsrv")
	if err != nil {
		return err
	}
	dns := fmt.Sprintf("127.0.0.1:%d", s.dnsPort)
	mgmt := fmt.Sprintf("127.0.0.1:%d", s.challMgmtPort)
	p, err := s.startProc("challtestsrv", bin, []string{
		"-dnsserver", dns,
		"-management", mgmt,
		"-defaultIPv4", "127.0.0.1",
		"-defaultIPv6", "",
		"-http01", "",
		"-https01", "",
		"-tlsalpn01", "",
		"-doh", "",
	}, nil)
	s.chall = p
	if err != nil {
		return err
	}
	for _, addr := range []string{dns, mgmt} {
		if err := waitTCP("pebble-challtestsrv", addr, p.logFile, p.exited); err != nil {
			return err
		}
	}
	return nil
}

// pebbleDNS is the server Pebble resolves every name through: BIND when
// it runs (so DNS-01 sees the records written there), else challtestsrv.
func (s *Sandbox) pebbleDNS() string {
	if s.BIND != nil {
		return s.BIND.Addr
	}
	return fmt.Sprintf("127.0.0.1:%d", s.dnsPort)
}

func (s *Sandbox) startPebble() error {
	bin, err := findBin("pebble")
	if err != nil {
		return err
	}
	p, err := s.startProc("pebble", bin,
		[]string{"-config", s.pebbleFile("config.json"), "-dnsserver", s.pebbleDNS()},
		[]string{
			"PEBBLE_VA_NOSLEEP=1",      // no random 0-5s sleep before each validation
			"PEBBLE_WFE_NONCEREJECT=0", // no deliberate badNonce errors
			"PEBBLE_AUTHZREUSE=0",      // every order gets fresh challenges
			"PEBBLE_VA_ALWAYS_VALID=0", // really validate against nginx
		})
	s.pebble = p
	if err != nil {
		return err
	}
	for _, port := range []int{s.acmePort, s.pebbleMgmtPort} {
		if err := waitTCP("pebble", fmt.Sprintf("127.0.0.1:%d", port), p.logFile, p.exited); err != nil {
			return err
		}
	}
	return s.trustIssuerRoot()
}

// trustIssuerRoot appends the root Pebble issues under to CARootFile, so
// --ca-root names the whole private CA, as it would for step-ca: httpsify
// checks an installed certificate against it before keeping it.
func (s *Sandbox) trustIssuerRoot() error {
	root, err := s.IssuerRoots()
	if err != nil {
		return err
	}
	f, err := os.OpenFile(s.CARootFile, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	if _, err := f.Write(root); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// pebbleClient trusts only the listener CA and dials only loopback.
func (s *Sandbox) pebbleClient(port int) (*http.Client, error) {
	pemBytes, err := os.ReadFile(s.CARootFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		return nil, fmt.Errorf("sandbox: no certificate in %s", s.CARootFile)
	}
	return &http.Client{
		Timeout:   10 * time.Second,
		Transport: loopbackTransport(fmt.Sprintf("127.0.0.1:%d", port), &tls.Config{RootCAs: pool}),
	}, nil
}

// IssuerRoots fetches the root Pebble issues site certificates under; Pebble
// makes a new one each start, so it must be fetched from the running
// instance, not cached.
func (s *Sandbox) IssuerRoots() ([]byte, error) {
	c, err := s.pebbleClient(s.pebbleMgmtPort)
	if err != nil {
		return nil, err
	}
	resp, err := c.Get(fmt.Sprintf("https://127.0.0.1:%d/roots/0", s.pebbleMgmtPort))
	if err != nil {
		return nil, fmt.Errorf("sandbox: fetching Pebble root: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("sandbox: Pebble /roots/0: %s: %s", resp.Status, body)
	}
	if b, _ := pem.Decode(body); b == nil || b.Type != "CERTIFICATE" {
		return nil, errors.New("sandbox: Pebble /roots/0 returned no PEM certificate")
	}
	return body, nil
}

// SetRenewalInfo makes Pebble answer ARI requests for the certificate
// (PEM) with ariJSON, as a CA does after, say, a mass revocation. Pebble
// sends it as is, so malformed answers can be tested too.
func (s *Sandbox) SetRenewalInfo(certPEM []byte, ariJSON string) error {
	c, err := s.pebbleClient(s.pebbleMgmtPort)
	if err != nil {
		return err
	}
	body, err := json.Marshal(map[string]string{"certificate": string(certPEM), "ariResponse": ariJSON})
	if err != nil {
		return err
	}
	resp, err := c.Post(fmt.Sprintf("https://127.0.0.1:%d/set-renewal-info/", s.pebbleMgmtPort), "application/json", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("sandbox: Pebble set-renewal-info: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		return fmt.Errorf("sandbox: Pebble set-renewal-info: %s: %s", resp.Status, msg)
	}
	return nil
}
