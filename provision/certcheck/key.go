package certcheck

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"

	"github.com/httpsify/httpsify/assets/i18n"
)

// privateKey is what a parsed key offers: its public half, for matching.
type privateKey interface {
	Public() crypto.PublicKey
}

// keyFile is the parsed key file: the key and its PEM block, re-encoded
// without headers or surrounding text.
type keyFile struct {
	key privateKey
	pem []byte
}

var errUnsupportedKey = errors.New("unsupported key type")

// parseKeyDER accepts the three encodings providers and openssl write:
// PKCS#8 ("PRIVATE KEY": RSA, ECDSA, Ed25519), PKCS#1 ("RSA PRIVATE
// KEY") and SEC1 ("EC PRIVATE KEY"). Labels are not trusted: some tools
// write PKCS#1 under a PKCS#8 label.
func parseKeyDER(der []byte) (privateKey, error) {
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		switch k := k.(type) {
		case *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey:
			return k.(privateKey), nil
		}
		return nil, errUnsupportedKey
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	// Fixed message: the parser's own error could quote key bytes.
	return nil, errors.New("not a private key")
}

// readKey parses the key file. Findings name the path, never key bytes.
func readKey(path string, data []byte) (*keyFile, *Finding) {
	if looksBinary(data) {
		f := derFinding(path, data, FieldKey)
		return nil, &f
	}
	blocks := pemBlocks(data)
	if len(blocks) == 0 {
		return nil, &Finding{Kind: KindNoKey, Severity: Error, Field: FieldKey,
			Message: i18n.T("%s holds no PEM private key", quote(path)),
			Hint:    i18n.T("the key file begins with -----BEGIN PRIVATE KEY----- (or RSA/EC PRIVATE KEY); it is the .key file of the download")}
	}
	sawCert := false
	for _, b := range blocks {
		switch {
		case b.Type == "ENCRYPTED PRIVATE KEY" || b.Headers["Proc-Type"] == "4,ENCRYPTED":
			return nil, &Finding{Kind: KindEncryptedKey, Severity: Error, Field: FieldKey,
				Message: i18n.T("the key is protected by a passphrase; nginx cannot read it at start-up"),
				Hint:    i18n.T("remove the passphrase into a new file: openssl pkey -in %s -out %s.nopass", shellArg(path), shellArg(path))}
		case b.Type == "DSA PRIVATE KEY":
			return nil, &Finding{Kind: KindUnsupportedKey, Severity: Error, Field: FieldKey,
				Message: i18n.T("the key is a DSA key; browsers do not accept DSA certificates"),
				Hint:    i18n.T("get a new certificate with an RSA (2048 bits or more) or ECDSA P-256 key")}
		case b.Type == "CERTIFICATE":
			sawCert = true
			continue
		case b.Type != "PRIVATE KEY" && b.Type != "RSA PRIVATE KEY" && b.Type != "EC PRIVATE KEY":
			continue // "EC PARAMETERS" from openssl ecparam -genkey, and the like
		}
		k, err := parseKeyDER(b.Bytes)
		if errors.Is(err, errUnsupportedKey) {
			return nil, &Finding{Kind: KindUnsupportedKey, Severity: Error, Field: FieldKey,
				Message: i18n.T("the key's type is not one nginx and browsers use for certificates"),
				Hint:    i18n.T("use an RSA (2048 bits or more) or ECDSA P-256 key")}
		}
		if err != nil {
			return nil, &Finding{Kind: KindMalformed, Severity: Error, Field: FieldKey,
				Message: i18n.T("%s has a %s block that does not parse as a private key", quote(path), quote(b.Type)),
				Hint:    i18n.T("the file may be truncated or edited; download the key again")}
		}
		return &keyFile{key: k, pem: pem.EncodeToMemory(&pem.Block{Type: b.Type, Bytes: b.Bytes})}, nil
	}
	msg := i18n.T("%s holds no private key", quote(path))
	if sawCert {
		msg = i18n.T("%s holds a certificate, not a private key", quote(path))
	}
	return nil, &Finding{Kind: KindNoKey, Severity: Error, Field: FieldKey, Message: msg,
		Hint: i18n.T("pass the .key file of the download as --key-file")}
}

// keyMatches reports whether the certificate was issued for this key.
func keyMatches(cert *x509.Certificate, k privateKey) bool {
	pub, ok := cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	return ok && pub.Equal(k.Public())
}

// keyStrength checks the leaf's public key: browsers refuse RSA under 2048
// bits, and iOS (so WeChat) wants ECC of 256 bits or more. Ed25519 is
// accepted by nginx (OpenSSL 1.1.1+ loads it) but by no browser and no
// public CA, so it is a warning: it can only serve private clients.
func keyStrength(leaf *x509.Certificate) *Finding {
	switch pub := leaf.PublicKey.(type) {
	case *rsa.PublicKey:
		if bits := pub.N.BitLen(); bits < 2048 {
			return &Finding{Kind: KindWeakKey, Severity: Error, Field: FieldCert,
				Message: i18n.T("the certificate's RSA key has %d bits; browsers require at least 2048", bits),
				Hint:    i18n.T("get a new certificate with a 2048-bit (or larger) RSA key or an ECDSA P-256 key")}
		}
	case *ecdsa.PublicKey:
		if bits := pub.Curve.Params().BitSize; bits < 256 {
			return &Finding{Kind: KindWeakKey, Severity: Error, Field: FieldCert,
				Message: i18n.T("the certificate's EC key has %d bits; browsers require at least 256", bits),
				Hint:    i18n.T("get a new certificate with an ECDSA P-256 key")}
		}
	case ed25519.PublicKey:
		return &Finding{Kind: KindEd25519, Severity: Warning, Field: FieldCert,
			Message: i18n.T("the certificate has an Ed25519 key: nginx serves it, but browsers and WeChat do not accept Ed25519 certificates"),
			Hint:    i18n.T("for public visitors use an RSA or ECDSA P-256 certificate")}
	}
	return nil
}
