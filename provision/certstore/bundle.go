package certstore

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// Bundle is a certificate as PEM: leaf, intermediates, leaf+intermediates,
// and the leaf's private key.
type Bundle struct {
	Cert, Chain, Fullchain, Key []byte
}

// validate checks the bundle is consistent before anything is written.
func (b Bundle) validate() error {
	leafs, err := parseCerts("cert", b.Cert)
	if err != nil {
		return err
	}
	if len(leafs) != 1 {
		return fmt.Errorf("certstore: cert: want exactly one certificate, got %d", len(leafs))
	}
	leaf := leafs[0]
	if _, err := parseCerts("chain", b.Chain); err != nil && len(bytes.TrimSpace(b.Chain)) > 0 {
		return err
	}
	full, err := parseCerts("fullchain", b.Fullchain)
	if err != nil {
		return err
	}
	if !full[0].Equal(leaf) {
		return errors.New("certstore: fullchain does not start with the leaf certificate")
	}
	key, err := parseKey(b.Key)
	if err != nil {
		return err
	}
	pub, ok := leaf.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(key.Public()) {
		return errors.New("certstore: private key does not match the certificate's public key")
	}
	return nil
}

// parseCerts parses every PEM block in data, which must all be
// certificates: a stray private key would otherwise land in a 0644 file.
func parseCerts(name string, data []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("certstore: %s: unexpected PEM block %q (want CERTIFICATE)", name, block.Type)
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certstore: %s: %w", name, err)
		}
		out = append(out, c)
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, fmt.Errorf("certstore: %s: trailing data that is not a PEM block", name)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("certstore: %s: no certificate", name)
	}
	return out, nil
}

// parseKey accepts one PKCS#8, SEC 1 (EC) or PKCS#1 (RSA) key. Its errors
// are fixed strings so no key material can leak into logs.
func parseKey(data []byte) (crypto.Signer, error) {
	block, rest := pem.Decode(data)
	if block == nil {
		return nil, errors.New("certstore: privkey: no PEM block")
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, errors.New("certstore: privkey: want exactly one PEM block")
	}
	if len(block.Headers) > 0 {
		return nil, errors.New("certstore: privkey: encrypted keys are not supported")
	}
	var k any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		k, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		k, err = x509.ParseECPrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		k, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("certstore: privkey: unsupported PEM block %q", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("certstore: privkey: cannot parse %s", block.Type)
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, errors.New("certstore: privkey: unsupported key type")
	}
	return s, nil
}
