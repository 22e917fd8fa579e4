package steps

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/nginx"
	"github.com/httpsify/httpsify/provision/nginxconf"
)

// ownFiles writes a provider-style download for www.example.test: a
// private root (trusted through --ca-root, as the process's system pool
// cannot be pointed elsewhere once read), the .pem (leaf and
// intermediate), its .key, and a key of another certificate.
type ownFiles struct{ root, cert, key, otherKey string }

func writeOwnFiles(t *testing.T) ownFiles {
	t.Helper()
	dir := t.TempDir()
	now := time.Now()
	var serial int64
	mk := func(tmpl *x509.Certificate, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey, []byte) {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		serial++
		tmpl.SerialNumber, tmpl.NotBefore = big.NewInt(serial), now.Add(-time.Hour)
		if parent == nil {
			parent, parentKey = tmpl, k
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &k.PublicKey, parentKey)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := x509.ParseCertificate(der)
		return c, k, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	ca := func(cn string) *x509.Certificate {
		return &x509.Certificate{Subject: pkix.Name{CommonName: cn}, NotAfter: now.Add(24 * 365 * time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	}
	root, rootKey, rootPEM := mk(ca("Wizard Test Root"), nil, nil)
	inter, interKey, interPEM := mk(ca("Wizard Test DV CA"), root, rootKey)
	leafTmpl := func() *x509.Certificate {
		return &x509.Certificate{Subject: pkix.Name{CommonName: "www.example.test"}, DNSNames: []string{"www.example.test"}, NotAfter: now.Add(90 * 24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	}
	_, leafKey, leafPEM := mk(leafTmpl(), inter, interKey)
	_, otherKey, _ := mk(leafTmpl(), inter, interKey)
	keyPEM := func(k *ecdsa.PrivateKey) []byte {
		der, _ := x509.MarshalPKCS8PrivateKey(k)
		return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	f := ownFiles{filepath.Join(dir, "root.pem"), filepath.Join(dir, "site.pem"), filepath.Join(dir, "site.key"), filepath.Join(dir, "other.key")}
	for p, b := range map[string][]byte{f.root: rootPEM, f.cert: append(leafPEM, interPEM...), f.key: keyPEM(leafKey), f.otherKey: keyPEM(otherKey)} {
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// A key that does not belong to the certificate is refused at the
// certificate step, in plain words, and nothing is planned.
func TestCertificateOwnFilesRefusedInPlainWords(t *testing.T) {
	f := writeOwnFiles(t)
	st, _ := siteAnswered(t)
	st.Opts.CARoot = f.root
	st.Opts.CertFile, st.Opts.KeyFile = f.cert, f.otherKey // from the flags: "own" is preselected
	tm := start(t, st, StepCertificate, 100, 30)
	waitFor(t, tm, "Private key file")
	for range 3 { // certificate, key, chain (optional): then the step submits
		tm.Send(press("enter"))
	}
	waitFor(t, tm, "does not belong to the certificate")
	finalView(t, tm, 100, 30)
	if st.Settings != nil || st.Plan != nil {
		t.Fatal("a plan was built from a key that does not match")
	}
}

// The files the site's config names today are offered; Enter keeps them,
// and the plan installs them instead of asking a CA.
func TestCertificateOwnOffersTheSiteFiles(t *testing.T) {
	f := writeOwnFiles(t)
	st, _ := siteAnswered(t)
	st.Opts.CARoot = f.root
	st.Detection = tlsFixDetection(t, f.cert, f.key)
	tm := start(t, st, StepCertificate, 120, 40)
	waitFor(t, tm, "How the CA checks")
	tm.Send(press("shift+tab")) // from the email to the CA
	tm.Send(press("shift+tab")) // to the method
	tm.Send(press("down"))      // DNS-01
	tm.Send(press("down"))      // "I already have a certificate"
	waitFor(t, tm, f.key)
	tm.Send(press("enter")) // every answer is filled in: the step submits
	waitFor(t, tm, "Certificate · my own certificate · "+f.cert)
	finalView(t, tm, 120, 40)
	s, p := st.Settings, st.Plan
	if s == nil || p == nil || !s.Uploaded() || p.Upload == nil || s.CertFile != f.cert || s.KeyFile != f.key {
		t.Fatalf("settings %+v, plan %+v", s, p)
	}
	if p.Issue || p.Challenge != nil {
		t.Error("the plan still asks a CA")
	}
	if args := strings.Join(s.ApplyArgs(), " "); !strings.Contains(args, "--cert-file "+f.cert) || strings.Contains(args, "--ca ") {
		t.Errorf("the equivalent apply line does not install the same files: %s", args)
	}
}

// tlsFixDetection is the fixture with the site already on TLS by hand,
// naming cert and key.
func tlsFixDetection(t *testing.T, cert, key string) *provision.Detection {
	t.Helper()
	files := []nginxconf.File{fixFiles[0], {Path: fixSite, Content: []byte(`server {
	listen 80;
	listen 443 ssl;
	server_name www.example.test;
	ssl_certificate ` + cert + `;
	ssl_certificate_key ` + key + `;
	ssl_protocols TLSv1 TLSv1.1 TLSv1.2;

	location / {
		proxy_pass http://unix:/srv/app/app.sock;
	}
}
`)}}
	cfg, err := nginxconf.Analyze(files)
	if err != nil {
		t.Fatal(err)
	}
	d := nginx.New(nginx.Nginx{Bin: "/usr/sbin/nginx", Conf: fixConf}, nginx.Version{Major: 1, Minor: 22, Patch: 1}, cfg)
	d.Running = true
	return d.Detection
}

// The first screen says which site's TLS was set up by hand and what is
// wrong with it, in a few words.
func TestPreflightShowsTLSByHand(t *testing.T) {
	f := writeOwnFiles(t)
	st, fe := newState(t)
	fe.detect = tlsFixDetection(t, f.cert, f.key)
	heldHTTPS(st)
	tm := start(t, st, StepPreflight, 140, 40)
	waitFor(t, tm, "TLS by hand: old TLS versions, no TLS 1.3")
	finalView(t, tm, 140, 40)
}
