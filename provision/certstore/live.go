package certstore

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/txn"
)

// Current returns the version directory liveDir points to, or "" if
// liveDir does not exist. A liveDir that is a real directory or file was
// not made by httpsify and is never touched.
func Current(liveDir string) (string, error) {
	liveDir, err := filepath.Abs(liveDir)
	if err != nil {
		return "", err
	}
	fi, err := os.Lstat(liveDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("certstore: %w", err)
	case fi.IsDir():
		return "", i18n.Errorf("certstore: %s is a directory not managed by httpsify", liveDir)
	case fi.Mode()&fs.ModeSymlink == 0:
		return "", i18n.Errorf("certstore: %s is a file not managed by httpsify (want a symlink)", liveDir)
	}
	target, err := os.Readlink(liveDir)
	if err != nil {
		return "", fmt.Errorf("certstore: %w", err)
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(liveDir), target)
	}
	return filepath.Clean(target), nil
}

// LiveChange returns the transaction change that points liveDir at
// versionDir, after checking that liveDir is ours to replace and that
// versionDir is a complete version.
func LiveChange(liveDir, versionDir string) (txn.Change, error) {
	if _, err := Current(liveDir); err != nil {
		return txn.Change{}, err
	}
	liveDir, _ = filepath.Abs(liveDir)
	versionDir, err := filepath.Abs(versionDir)
	if err != nil {
		return txn.Change{}, err
	}
	for _, name := range []string{"cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"} {
		if _, err := os.Stat(filepath.Join(versionDir, name)); err != nil {
			return txn.Change{}, i18n.Errorf("certstore: %s is not a complete version: %w", versionDir, err)
		}
	}
	return txn.Change{Path: liveDir, Symlink: versionDir}, nil
}

// ReadLive parses the live leaf certificate.
func ReadLive(liveDir string) (*x509.Certificate, error) {
	cur, err := Current(liveDir)
	if err != nil {
		return nil, err
	}
	if cur == "" {
		return nil, i18n.Errorf("certstore: no certificate installed at %s: %w", liveDir, fs.ErrNotExist)
	}
	leaf, _, err := ReadVersion(cur)
	return leaf, err
}

// ReadVersion parses a version directory's fullchain: the leaf, and how
// many intermediates go with it (what a server must send).
func ReadVersion(dir string) (*x509.Certificate, int, error) {
	data, err := os.ReadFile(filepath.Join(dir, "fullchain.pem"))
	if err != nil {
		return nil, 0, fmt.Errorf("certstore: %w", err)
	}
	certs, err := parseCerts("fullchain", data)
	if err != nil {
		return nil, 0, err
	}
	return certs[0], len(certs) - 1, nil
}
