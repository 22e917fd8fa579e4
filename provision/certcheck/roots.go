package certcheck

import "crypto/x509"

// systemRoots is the trust store nginx's clients are assumed to share: the
// system pool exactly as Go reads it, so SSL_CERT_FILE and SSL_CERT_DIR
// point it elsewhere (tests use that to trust a private root). A system
// without roots yields an empty pool: nothing is trusted, nothing guessed.
func systemRoots() *x509.CertPool {
	p, err := x509.SystemCertPool()
	if err != nil || p == nil {
		return x509.NewCertPool()
	}
	return p
}
