package certstore

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
)

// CheckOwnLink accepts an existing liveDir only when it is a symlink
// httpsify could have made: owned by root (or the user we run as) and
// pointing into archiveRoot, httpsify's own archive. A link someone else
// planted would otherwise be taken for "the installed certificate", and
// nginx would serve the planter's certificate with the planter's key.
// A missing liveDir is fine.
func CheckOwnLink(liveDir, archiveRoot string) error {
	fi, err := os.Lstat(liveDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("certstore: %w", err)
	}
	target, err := Current(liveDir)
	if err != nil {
		return err
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); !ok || (st.Uid != 0 && int(st.Uid) != os.Geteuid()) {
		return i18n.Errorf("certstore: %s is a symlink another user owns; httpsify did not make it: remove it or choose another --cert-dir", liveDir)
	}
	if !within(archiveRoot, target) {
		return i18n.Errorf("certstore: %s points to %s, outside httpsify's archive %s; httpsify did not make it: remove it or choose another --cert-dir", liveDir, target, archiveRoot)
	}
	return nil
}

func within(dir, p string) bool {
	dir, p = filepath.Clean(dir), filepath.Clean(p)
	return p != dir && len(p) > len(dir) && p[:len(dir)] == dir && p[len(dir)] == filepath.Separator
}

// VerifyLive checks the live certificate chain against roots (nil means
// the system's) at time now, for a TLS server. A certificate that does
// not chain to a trusted root must not count as "installed and good".
func VerifyLive(liveDir string, roots *x509.CertPool, now time.Time) error {
	cur, err := Current(liveDir)
	if err != nil {
		return err
	}
	if cur == "" {
		return i18n.Errorf("certstore: no certificate installed at %s: %w", liveDir, fs.ErrNotExist)
	}
	data, err := os.ReadFile(filepath.Join(cur, "fullchain.pem"))
	if err != nil {
		return fmt.Errorf("certstore: %w", err)
	}
	certs, err := parseCerts("fullchain", data)
	if err != nil {
		return err
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	_, err = certs[0].Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	return err
}
