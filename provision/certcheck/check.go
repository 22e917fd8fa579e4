package certcheck

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
)

// ExpiryWarning is how close to its end a certificate draws a warning.
const ExpiryWarning = 14 * 24 * time.Hour

// Input names the user's files and what they are for.
type Input struct {
	CertFile  string // leaf, often followed by intermediates (a provider's .pem/.crt)
	KeyFile   string
	ChainFile string   // optional: the provider's ca_bundle / chain file
	Domains   []string // every name the site must answer, already validated
	Now       time.Time
	// Roots to trust; nil means the system pool as Go reads it
	// (SSL_CERT_FILE/SSL_CERT_DIR honoured).
	Roots *x509.CertPool
	// ExtraRoots are also trusted (a private CA the user names); may be nil.
	ExtraRoots *x509.CertPool
}

// Bundle is the normalised certificate, ready to install.
type Bundle struct {
	Cert          []byte // the leaf alone, PEM
	Chain         []byte // the intermediates in path order, PEM; empty when the leaf is issued by a root
	Fullchain     []byte // Cert then Chain: what nginx's ssl_certificate names
	Key           []byte // the private key, PEM without headers or surrounding text
	Leaf          *x509.Certificate
	Intermediates []*x509.Certificate
	NotAfter      time.Time
}

// Result is everything Check observed. Bundle is nil when any finding is
// an Error.
type Result struct {
	Bundle   *Bundle
	Findings []Finding
}

// OK reports whether the files can be installed.
func (r Result) OK() bool { return r.Bundle != nil }

// Errors returns the findings that stop the install.
func (r Result) Errors() []Finding { return r.bySeverity(Error) }

// Warnings returns the findings the user should read but that do not stop it.
func (r Result) Warnings() []Finding { return r.bySeverity(Warning) }

func (r Result) bySeverity(s Severity) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Severity == s {
			out = append(out, f)
		}
	}
	return out
}

// Has reports whether a finding of kind k was made.
func (r Result) Has(k Kind) bool {
	for _, f := range r.Findings {
		if f.Kind == k {
			return true
		}
	}
	return false
}

// Check reads the files and reports every problem it can find. It only
// reads: nothing is written, nothing is fetched.
func Check(in Input) Result {
	var fs []Finding
	add := func(f ...Finding) { fs = append(fs, f...) }

	var key *keyFile
	if data, f := readFile(in.KeyFile, FieldKey); f != nil {
		add(*f)
	} else if k, f := readKey(in.KeyFile, data); f != nil {
		add(*f)
	} else {
		key = k
		if f := keyModeFinding(in.KeyFile); f != nil {
			add(*f)
		}
	}

	var fileOrder []*x509.Certificate
	if data, f := readFile(in.CertFile, FieldCert); f != nil {
		add(*f)
	} else {
		certs, f := readCerts(in.CertFile, data, FieldCert)
		add(f...)
		fileOrder = append(fileOrder, certs...)
	}
	if in.ChainFile != "" {
		if data, f := readFile(in.ChainFile, FieldChain); f != nil {
			add(*f)
		} else {
			certs, f := readCerts(in.ChainFile, data, FieldChain)
			add(f...)
			fileOrder = append(fileOrder, certs...)
		}
	}
	fileOrder = dedupe(fileOrder)
	if len(fileOrder) == 0 {
		return Result{Findings: fs}
	}

	var pk privateKey
	if key != nil {
		pk = key.key
	}
	leaf, matched := pickLeaf(fileOrder, pk)
	if key != nil && !matched {
		add(Finding{Kind: KindKeyMismatch, Severity: Error, Field: FieldKey,
			Message: i18n.T("the private key does not belong to the certificate for %s", name(leaf)),
			Hint:    i18n.T("use the .key file from the same download (or the key the certificate request was made with)")})
	}
	add(validityFindings(leaf, in.Now)...)
	add(nameFindings(leaf, in.Domains)...)
	if f := keyStrength(leaf); f != nil {
		add(*f)
	}

	var others []*x509.Certificate
	for _, c := range fileOrder {
		if c != leaf {
			others = append(others, c)
		}
	}
	roots := in.Roots
	if roots == nil {
		roots = systemRoots()
	}
	path, err := buildPath(leaf, others, roots, in.ExtraRoots, in.Now)
	if err != nil {
		add(explainPath(err, leaf, fileOrder, in.ChainFile != ""))
	} else {
		add(orderFindings(fileOrder, leaf, path)...)
	}

	res := Result{Findings: fs}
	if len(res.Errors()) == 0 && key != nil {
		res.Bundle = newBundle(leaf, path, key.pem)
	}
	return res
}

func newBundle(leaf *x509.Certificate, path []*x509.Certificate, keyPEM []byte) *Bundle {
	b := &Bundle{
		Cert:          pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Raw}),
		Key:           keyPEM,
		Leaf:          leaf,
		Intermediates: path,
		NotAfter:      leaf.NotAfter,
	}
	for _, c := range path {
		b.Chain = append(b.Chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	b.Fullchain = append(append([]byte{}, b.Cert...), b.Chain...)
	return b
}

// dedupe drops repeated certificates (a leaf both in the .pem and in the
// chain file), keeping the first.
func dedupe(certs []*x509.Certificate) []*x509.Certificate {
	seen := map[string]bool{}
	var out []*x509.Certificate
	for _, c := range certs {
		if !seen[string(c.Raw)] {
			seen[string(c.Raw)] = true
			out = append(out, c)
		}
	}
	return out
}

// validityFindings: refuse expired and not-yet-valid, warn under 14 days.
func validityFindings(leaf *x509.Certificate, now time.Time) []Finding {
	const day = "2006-01-02"
	switch {
	case now.After(leaf.NotAfter):
		return []Finding{{Kind: KindExpired, Severity: Error, Field: FieldCert,
			Message: i18n.T("the certificate expired on %s", leaf.NotAfter.UTC().Format(day)),
			Hint:    i18n.T("download the renewed certificate from your provider, or switch to ACME so it renews itself")}}
	case now.Before(leaf.NotBefore):
		return []Finding{{Kind: KindNotYetValid, Severity: Error, Field: FieldCert,
			Message: i18n.T("the certificate is not valid before %s", leaf.NotBefore.UTC().Format(time.RFC3339)),
			Hint:    i18n.T("check this server's clock, or wait until then")}}
	case leaf.NotAfter.Sub(now) < ExpiryWarning:
		days := int(leaf.NotAfter.Sub(now).Hours() / 24)
		return []Finding{{Kind: KindExpiresSoon, Severity: Warning, Field: FieldCert,
			Message: i18n.T("the certificate expires in %d days, on %s", days, leaf.NotAfter.UTC().Format(day)),
			Hint:    i18n.T("renew it with your provider soon, or switch to ACME so it renews itself")}}
	}
	return nil
}

// keyModeFinding warns when group or others may read the user's key file.
// The installed copy is written 0600 whatever this says; the warning is
// about the copy the user keeps.
func keyModeFinding(path string) *Finding {
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm()&0o044 == 0 {
		return nil
	}
	return &Finding{Kind: KindKeyReadableByOthers, Severity: Warning, Field: FieldKey,
		Message: i18n.T("the key file %s can be read by other users (mode %04o); the installed copy is made readable by root only", quote(path), st.Mode().Perm()),
		Hint:    "chmod 600 " + shellArg(path)}
}
