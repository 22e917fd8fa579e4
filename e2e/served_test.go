package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

// The certificate nginx serves, observed the way a client sees it: a TLS
// handshake on the sandbox's https port with the name as SNI.

// dialLeaf is the leaf served for the sandbox's domain, trusting anything
// (the point is which certificate, not whether it verifies).
func dialLeaf(sb *sandbox.Sandbox) (*x509.Certificate, error) {
	return dialLeafFor(sb, sb.Domain, &tls.Config{InsecureSkipVerify: true})
}

func dialLeafFor(sb *sandbox.Sandbox, name string, cfg *tls.Config) (*x509.Certificate, error) {
	cfg.ServerName = name
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp",
		net.JoinHostPort("127.0.0.1", strconv.Itoa(sb.HTTPSPort)), cfg)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.ConnectionState().PeerCertificates[0], nil
}

// servedLeaf is dialLeaf that fails the test when no handshake succeeds.
func servedLeaf(t *testing.T, sb *sandbox.Sandbox) *x509.Certificate {
	t.Helper()
	leaf, err := dialLeaf(sb)
	if err != nil {
		t.Fatal(err)
	}
	return leaf
}

// httpsLeaf is the served leaf's DER, nil when no handshake succeeds.
func httpsLeaf(sb *sandbox.Sandbox) []byte {
	leaf, err := dialLeaf(sb)
	if err != nil {
		return nil
	}
	return leaf.Raw
}

// trustedLeaf is the leaf served for name, verified against Pebble's
// roots only.
func trustedLeaf(t *testing.T, sb *sandbox.Sandbox, name string) *x509.Certificate {
	t.Helper()
	roots, err := sb.IssuerRoots()
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(roots)
	leaf, err := dialLeafFor(sb, name, &tls.Config{RootCAs: pool})
	if err != nil {
		t.Fatalf("TLS to %s: %v", name, err)
	}
	return leaf
}

// servedNames are the names of the leaf served for name (SNI).
func servedNames(t *testing.T, sb *sandbox.Sandbox, name string) []string {
	t.Helper()
	return trustedLeaf(t, sb, name).DNSNames
}

// servedSerial is the serial of the leaf served for name (SNI).
func servedSerial(t *testing.T, sb *sandbox.Sandbox, name string) string {
	t.Helper()
	return trustedLeaf(t, sb, name).SerialNumber.String()
}
