package certcheck

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"testing"
)

func TestRSA1024Refused(t *testing.T) {
	p := newPKI(t)
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := p.leaf(leafOpts{key: k})
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	f := mustRefuse(t, Check(p.input(p.write("a.pem", certPEM(leaf, p.inter), 0o644), p.write("a.key", pkcs1, 0o600))), KindWeakKey)
	if f.Message != "the certificate's RSA key has 1024 bits; browsers require at least 2048" {
		t.Errorf("message %q", f.Message)
	}
}

func TestRSA2048PKCS1Accepted(t *testing.T) {
	p := newPKI(t)
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := p.leaf(leafOpts{key: k})
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	mustOK(t, Check(p.input(p.write("a.pem", certPEM(leaf, p.inter), 0o644), p.write("a.key", pkcs1, 0o600))))
}

func TestSEC1KeyAccepted(t *testing.T) {
	p := newPKI(t)
	k := ecKey(t)
	leaf, _ := p.leaf(leafOpts{key: k})
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	sec1 := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
	mustOK(t, Check(p.input(p.write("a.pem", certPEM(leaf, p.inter), 0o644), p.write("a.key", sec1, 0o600))))
}

// nginx (OpenSSL 1.1.1+) loads an Ed25519 certificate, but browsers and
// public CAs do not use them: installable, with a warning.
func TestEd25519Warns(t *testing.T) {
	p := newPKI(t)
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := p.leaf(leafOpts{key: k})
	r := Check(p.input(p.write("a.pem", certPEM(leaf, p.inter), 0o644), p.write("a.key", keyPEM(t, k), 0o600)))
	mustOK(t, r)
	if f := mustFind(t, r, KindEd25519); f.Severity != Warning {
		t.Errorf("severity %s", f.Severity)
	}
}

// A certificate given as the key file is named for what it is.
func TestCertificateAsKeyFile(t *testing.T) {
	p := newPKI(t)
	leaf, _ := p.leaf(leafOpts{})
	cert := p.write("a.pem", certPEM(leaf, p.inter), 0o644)
	f := mustRefuse(t, Check(p.input(cert, cert)), KindNoKey)
	if f.Message != `"`+cert+`" holds a certificate, not a private key` {
		t.Errorf("message %q", f.Message)
	}
}
