package dnschallenge

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/trustdir"
)

// HelperName is the DNS provider helper's file name (cmd/httpsify-dns-provider).
const HelperName = "httpsify-dns-provider"

// HelperDir is where packages put the helper, relative to the directory
// of the httpsify binary: /usr/bin → /usr/lib/httpsify for the .deb,
// $(PREFIX)/bin → $(PREFIX)/lib/httpsify for make install.
const HelperDir = "../lib/httpsify"

// HelperMissingError: no helper was found where httpsify looks for it.
// Only DNS-01 through a provider needs it.
type HelperMissingError struct {
	Looked []string // the paths tried, in order
}

func (e *HelperMissingError) Error() string {
	return i18n.T("DNS-01 through a DNS provider needs httpsify's helper %s, which is not installed (looked for %s): "+
		"install it with httpsify (the .deb and make install bring it), or build it next to httpsify with "+
		"go build -o %s ./cmd/%s; HTTP-01 and manual DNS do not need it",
		HelperName, strings.Join(e.Looked, ", "), e.Looked[0], HelperName)
}

// FindHelper is the helper for the running httpsify: beside its
// executable, else in HelperDir from there.
func FindHelper() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", i18n.Errorf("finding httpsify's own path, to find %s: %w", HelperName, err)
	}
	return FindHelperFor(exe)
}

// FindHelperFor is the helper for the httpsify binary at exe. The first
// candidate that exists is the one: a helper that is there but fails the
// trust check is refused, never skipped for the next (it may have been
// planted). Run as root, httpsify runs only a helper root alone can have
// written: the file root's (or the user's running httpsify), not
// writable by group or others, nor any directory above it.
func FindHelperFor(exe string) (string, error) {
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	dir := filepath.Dir(exe)
	looked := []string{
		filepath.Join(dir, HelperName),
		filepath.Join(dir, HelperDir, HelperName),
	}
	for _, path := range looked {
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := trustdir.CheckFile(path); err != nil {
			return "", i18n.Errorf("refusing the DNS provider helper: %w", err)
		}
		return path, nil
	}
	return "", &HelperMissingError{Looked: looked}
}
