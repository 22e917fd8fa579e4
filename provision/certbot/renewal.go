package certbot

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/httpsify/httpsify/assets/i18n"
)

// DisableRenewal renames renewal/NAME.conf to NAME.conf.disabled-by-httpsify
// so certbot renew no longer picks NAME. Nothing else changes: the
// certificate, key and live links stay where nginx may read them. It is a
// no-op when NAME is already disabled, and ErrConflict when both files
// exist (certbot made a new NAME.conf since).
func (d *Dir) DisableRenewal(name string) error {
	return d.move(name, ".conf", ".conf"+DisabledSuffix)
}

// EnableRenewal undoes DisableRenewal.
func (d *Dir) EnableRenewal(name string) error {
	return d.move(name, ".conf"+DisabledSuffix, ".conf")
}

func (d *Dir) move(name, fromSuffix, toSuffix string) error {
	if err := checkName(name); err != nil {
		return err
	}
	// The renewal directory was checked at Open; check again, it is about
	// to be written.
	if err := checkOwned(filepath.Join(d.real, "renewal")); err != nil {
		return err
	}
	from := filepath.Join("renewal", name+fromSuffix)
	to := filepath.Join("renewal", name+toSuffix)
	fromOK, err := d.isRegular(from)
	if err != nil {
		return err
	}
	toOK, err := d.isRegular(to)
	if err != nil {
		return err
	}
	switch {
	case fromOK && toOK:
		return fmt.Errorf("%s and %s: %w", from, to, ErrConflict)
	case !fromOK && toOK:
		return nil // already done
	case !fromOK:
		return fmt.Errorf("%q: %w", name, ErrNoLineage)
	}
	if err := d.root.Rename(from, to); err != nil {
		return err
	}
	return d.syncRenewalDir()
}

// isRegular reports whether name exists as a regular file; a symlink or
// anything else there is refused rather than renamed.
func (d *Dir) isRegular(name string) (bool, error) {
	st, err := d.root.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !st.Mode().IsRegular() {
		return false, i18n.Errorf("%s is not a regular file: %w", name, ErrUnsafeDir)
	}
	return true, nil
}

// syncRenewalDir makes the rename durable before the caller records it.
func (d *Dir) syncRenewalDir() error {
	f, err := d.root.Open("renewal")
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
