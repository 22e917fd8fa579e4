package tlsgrade

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"
)

// The grader must catch what it is there to catch: a server with TLS 1.0
// and 1.1, no TLS 1.3, a CBC suite, an RSA key exchange and a missing
// intermediate gets every one of those named; a clean server gets none.
func TestGraderCatchesABadServerAndPassesAGoodOne(t *testing.T) {
	pki := newPKI(t, "bad.example.test")

	bad := serve(t, &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{pki.leaf}, PrivateKey: pki.key}}, // no intermediate
		MinVersion:   tls.VersionTLS10,
		MaxVersion:   tls.VersionTLS12,
		CipherSuites: []uint16{
			tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
			tls.TLS_RSA_WITH_AES_128_GCM_SHA256,
		},
	})
	r, err := Scan(context.Background(), bad, "bad.example.test", pki.rootPEM)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(r.Problems(), "\n")
	for _, want := range []string{"TLSv1.0 offered", "TLSv1.1 offered", "TLSv1.3 not offered",
		"non-AEAD suite ECDHE-RSA-AES128-SHA", "without ECDHE key exchange AES128-GCM-SHA256", "incomplete or untrusted chain (1 certificate(s) sent)"} {
		if !strings.Contains(got, want) {
			t.Errorf("the bad server's problems lack %q; got:\n%s", want, got)
		}
	}

	good := serve(t, &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{pki.leaf, pki.inter}, PrivateKey: pki.key}},
		MinVersion:   tls.VersionTLS12,
		CipherSuites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256},
	})
	r, err = Scan(context.Background(), good, "bad.example.test", pki.rootPEM)
	if err != nil {
		t.Fatal(err)
	}
	if p := r.Problems(); len(p) > 0 {
		t.Errorf("a clean server got problems:\n%s", strings.Join(p, "\n"))
	}
	if r.ChainSent != 2 || len(r.Ciphers) == 0 || !r.Protocols["TLSv1.3"] {
		t.Errorf("report of the clean server is thin: %+v", r)
	}
}

// serve runs a TLS server on loopback that completes handshakes and hangs up.
func serve(t *testing.T, cfg *tls.Config) int {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				c.SetDeadline(time.Now().Add(5 * time.Second))
				c.(*tls.Conn).Handshake()
				c.Close()
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

type pki struct {
	rootPEM     []byte
	inter, leaf []byte
	key         *rsa.PrivateKey
}

// newPKI makes root → intermediate → leaf for name, all RSA (so that RSA
// key exchange suites can be offered at all).
func newPKI(t *testing.T, name string) pki {
	t.Helper()
	mk := func(tmpl, parent *x509.Certificate, pub, signer any) []byte {
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	key := func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	now := time.Now()
	caTmpl := func(cn string, serial int64) *x509.Certificate {
		return &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign}
	}
	rootKey, interKey, leafKey := key(), key(), key()
	rootT, interT := caTmpl("test root", 1), caTmpl("test intermediate", 2)
	rootDER := mk(rootT, rootT, &rootKey.PublicKey, rootKey)
	interDER := mk(interT, rootT, &interKey.PublicKey, rootKey)
	leafT := &x509.Certificate{SerialNumber: big.NewInt(3), DNSNames: []string{name}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER := mk(leafT, interT, &leafKey.PublicKey, interKey)
	return pki{rootPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: rootDER}), inter: interDER, leaf: leafDER, key: leafKey}
}
