package certcheck

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// now is the fixed "current time" of every test.
var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// pki is a provider-style hierarchy made in the test: a root, an
// intermediate with an AIA URL, and leaves issued by the intermediate.
type pki struct {
	root, inter       *x509.Certificate
	rootKey, interKey crypto.Signer
	roots             *x509.CertPool
	serial            int64
	dir               string
	t                 *testing.T
}

func newPKI(t *testing.T) *pki {
	t.Helper()
	p := &pki{t: t, dir: t.TempDir(), serial: 10}
	p.rootKey = ecKey(t)
	p.root = p.sign(&x509.Certificate{
		Subject:               pkix.Name{CommonName: "Test Root CA"},
		NotBefore:             now.AddDate(-5, 0, 0),
		NotAfter:              now.AddDate(10, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, p.rootKey.Public(), nil, p.rootKey)
	p.interKey = ecKey(t)
	p.inter = p.sign(&x509.Certificate{
		Subject:               pkix.Name{CommonName: "Test DV TLS CA G2"},
		NotBefore:             now.AddDate(-2, 0, 0),
		NotAfter:              now.AddDate(5, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		IssuingCertificateURL: []string{"http://cacerts.test.invalid/TestRootCA.crt"},
	}, p.interKey.Public(), p.root, p.rootKey)
	p.roots = x509.NewCertPool()
	p.roots.AddCert(p.root)
	return p
}

func ecKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func (p *pki) sign(tmpl *x509.Certificate, pub crypto.PublicKey, parent *x509.Certificate, key crypto.Signer) *x509.Certificate {
	p.t.Helper()
	p.serial++
	tmpl.SerialNumber = big.NewInt(p.serial)
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		p.t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		p.t.Fatal(err)
	}
	return c
}

// leafOpts shapes one leaf.
type leafOpts struct {
	names               []string
	notBefore, notAfter time.Time
	key                 crypto.Signer
}

// leaf issues a DV server certificate from the intermediate, as a provider
// does, with the intermediate's AIA URL.
func (p *pki) leaf(o leafOpts) (*x509.Certificate, crypto.Signer) {
	p.t.Helper()
	if o.names == nil {
		o.names = []string{"example.com", "www.example.com"}
	}
	if o.notBefore.IsZero() {
		o.notBefore = now.AddDate(0, -1, 0)
	}
	if o.notAfter.IsZero() {
		o.notAfter = now.AddDate(0, 2, 0)
	}
	if o.key == nil {
		o.key = ecKey(p.t)
	}
	c := p.sign(&x509.Certificate{
		Subject:               pkix.Name{CommonName: o.names[0]},
		DNSNames:              o.names,
		NotBefore:             o.notBefore,
		NotAfter:              o.notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IssuingCertificateURL: []string{"http://cacerts.test.invalid/TestDVTLSCAG2.crt"},
	}, o.key.Public(), p.inter, p.interKey)
	return c, o.key
}

func certPEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

func keyPEM(t *testing.T, k crypto.Signer) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// write puts data in the test's directory with the given mode.
func (p *pki) write(name string, data []byte, mode os.FileMode) string {
	p.t.Helper()
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, data, mode); err != nil {
		p.t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // umask-proof
		p.t.Fatal(err)
	}
	return path
}

// input is the common Input: files in the test dir, trusting the test root.
func (p *pki) input(certFile, keyFile string, domains ...string) Input {
	if domains == nil {
		domains = []string{"example.com", "www.example.com"}
	}
	return Input{CertFile: certFile, KeyFile: keyFile, Domains: domains, Now: now, Roots: p.roots}
}

func kinds(r Result) []Kind {
	var out []Kind
	for _, f := range r.Findings {
		out = append(out, f.Kind)
	}
	return out
}

// mustFind returns the one finding of kind k or fails.
func mustFind(t *testing.T, r Result, k Kind) Finding {
	t.Helper()
	for _, f := range r.Findings {
		if f.Kind == k {
			return f
		}
	}
	t.Fatalf("no %s finding; got %v", k, r.Findings)
	return Finding{}
}

func mustOK(t *testing.T, r Result) *Bundle {
	t.Helper()
	if !r.OK() {
		t.Fatalf("refused: %v", r.Findings)
	}
	return r.Bundle
}

func mustRefuse(t *testing.T, r Result, k Kind) Finding {
	t.Helper()
	if r.OK() || r.Bundle != nil {
		t.Fatalf("accepted, want refusal with %s; findings %v", k, r.Findings)
	}
	f := mustFind(t, r, k)
	if f.Severity != Error {
		t.Fatalf("%s has severity %s, want error", k, f.Severity)
	}
	return f
}

func pkixName(cn string) pkix.Name { return pkix.Name{CommonName: cn} }
