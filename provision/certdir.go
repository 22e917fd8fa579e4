package provision

import (
	"crypto/x509"
	"fmt"
	"os"
	"time"

	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/trustdir"
)

// archiveRoot holds every certificate version httpsify stores.
func archiveRoot(s *Settings) string { return s.Layout().ArchiveRoot() }

// InstallDirUsable reports whether httpsify may put a certificate link at
// path: nothing is there yet, or it is httpsify's own link.
func InstallDirUsable(path string) bool {
	_, err := certstore.Current(path)
	return err == nil
}

// checkCertDir refuses a --cert-dir httpsify could be tricked through:
// one whose parent directories another user can write, or an existing
// link there that httpsify did not make.
func checkCertDir(s *Settings) error {
	if _, err := certstore.Current(s.CertDir); err != nil {
		return fieldErr(FlagCertDir, err)
	}
	if err := trustdir.CheckAbove(s.CertDir); err != nil {
		return fieldErr(FlagCertDir, err)
	}
	if err := certstore.CheckOwnLink(s.CertDir, archiveRoot(s)); err != nil {
		return fieldErr(FlagCertDir, err)
	}
	return nil
}

// trustedRoots are the roots an installed certificate must chain to: the
// system's, plus a private CA's from --ca-root.
func trustedRoots(s *Settings) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if s.CARoot != "" {
		pem, err := os.ReadFile(s.CARoot)
		if err != nil {
			return nil, fieldErr(FlagCARoot, err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fieldErr(FlagCARoot, fmt.Errorf("no certificate in %s", s.CARoot))
		}
	}
	return pool, nil
}

// installedUntrusted says why the installed chain does not verify, or "".
func installedUntrusted(s *Settings, now time.Time) string {
	roots, err := trustedRoots(s)
	if err != nil {
		return err.Error()
	}
	if err := certstore.VerifyLive(s.CertDir, roots, now); err != nil {
		return err.Error()
	}
	return ""
}
