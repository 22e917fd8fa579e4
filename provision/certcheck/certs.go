package certcheck

import (
	"crypto/x509"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

// readCerts parses every certificate in a cert or chain file. A private key
// found among them is reported (it must not end up in a world-readable
// certificate file) and left out.
func readCerts(path string, data []byte, field Field) ([]*x509.Certificate, []Finding) {
	if looksBinary(data) {
		return nil, []Finding{derFinding(path, data, field)}
	}
	var certs []*x509.Certificate
	var out []Finding
	sawPKCS7 := false
	for i, b := range pemBlocks(data) {
		switch {
		case b.Type == "PKCS7":
			sawPKCS7 = true
		case b.Type == "CERTIFICATE":
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				out = append(out, Finding{Kind: KindMalformed, Severity: Error, Field: field,
					Message: i18n.T("certificate %d in %s does not parse", i+1, quote(path)),
					Hint:    i18n.T("the file may be truncated or edited by hand; download it again")})
				continue
			}
			certs = append(certs, c)
		case strings.HasSuffix(b.Type, "PRIVATE KEY"):
			out = append(out, Finding{Kind: KindKeyInCertFile, Severity: Warning, Field: field,
				Message: i18n.T("%s also holds a private key; it is left out of the installed certificate file", quote(path)),
				Hint:    i18n.T("keep private keys only in the --key-file, readable by root alone")})
		}
	}
	if len(certs) == 0 && !hasError(out) {
		f := Finding{Kind: KindNoCertificate, Severity: Error, Field: field,
			Message: i18n.T("%s holds no PEM certificate", quote(path)),
			Hint:    i18n.T("a certificate file has lines -----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----")}
		switch {
		case sawPKCS7: // a .p7b bundle, as some CAs ship the chain
			f.Message = i18n.T("%s is a PKCS#7 (.p7b) bundle; nginx needs PEM certificates", quote(path))
			f.Hint = i18n.T("convert it: openssl pkcs7 -print_certs -in %s -out %s.pem", shellArg(path), shellArg(path))
		case len(out) > 0: // only a private key: the files were swapped
			f.Message = i18n.T("%s holds a private key, not a certificate", quote(path))
		}
		out = append(out, f)
	}
	return certs, out
}

func hasError(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// name is a short, safe description of a certificate for messages.
func name(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return quote(c.Subject.CommonName)
	}
	if len(c.DNSNames) > 0 {
		return quote(c.DNSNames[0])
	}
	return quote(c.Subject.String())
}

// issuerName is the same for the certificate's issuer.
func issuerName(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return quote(c.Issuer.CommonName)
	}
	return quote(c.Issuer.String())
}
