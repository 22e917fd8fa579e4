package renewdue

import (
	"crypto/x509"

	"github.com/go-acme/lego/v4/certificate"
)

// EntryFile is where the answer for leaf is (or would be) stored, for a
// caller that deletes it (a site httpsify stops managing).
func (c *Cache) EntryFile(leaf *x509.Certificate) (string, error) {
	id, err := certificate.MakeARICertID(leaf)
	if err != nil {
		return "", err
	}
	return c.fileFor(id), nil
}
