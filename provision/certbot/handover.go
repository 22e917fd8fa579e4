package certbot

import (
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/httpsify/httpsify/assets/i18n"
)

// RenewalSwitch is the rename DisableRenewal would make, described so a
// caller can make it inside its own journaled transaction (and so have it
// rolled back with the rest): remove Enabled, write Disabled with Content
// and Mode. Both paths are absolute with the certbot directory's links
// resolved.
type RenewalSwitch struct {
	Enabled, Disabled string
	Content           []byte
	Mode              fs.FileMode
}

// DisableSwitch describes switching NAME's renewal off. ok is false when
// it is off already (only the disabled copy exists); both files existing
// is ErrConflict, neither ErrNoLineage, and a symlink in their place
// ErrUnsafeDir, as for DisableRenewal.
func (d *Dir) DisableSwitch(name string) (sw RenewalSwitch, ok bool, err error) {
	if err := checkName(name); err != nil {
		return sw, false, err
	}
	if err := checkOwned(filepath.Join(d.real, "renewal")); err != nil {
		return sw, false, err
	}
	from := filepath.Join("renewal", name+".conf")
	to := filepath.Join("renewal", name+".conf"+DisabledSuffix)
	fromOK, err := d.isRegular(from)
	if err != nil {
		return sw, false, err
	}
	toOK, err := d.isRegular(to)
	if err != nil {
		return sw, false, err
	}
	switch {
	case fromOK && toOK:
		return sw, false, fmt.Errorf("%s and %s: %w", from, to, ErrConflict)
	case toOK:
		return sw, false, nil
	case !fromOK:
		return sw, false, fmt.Errorf("%q: %w", name, ErrNoLineage)
	}
	st, err := d.root.Lstat(from)
	if err != nil {
		return sw, false, err
	}
	content, err := d.root.ReadFile(from)
	if err != nil {
		return sw, false, err
	}
	return RenewalSwitch{
		Enabled:  filepath.Join(d.real, from),
		Disabled: filepath.Join(d.real, to),
		Content:  content,
		Mode:     st.Mode().Perm(),
	}, true, nil
}

// CurrentFiles returns where the lineage's current fullchain and private
// key really are (absolute, links followed inside the certbot directory),
// after checking both are regular files there, in directories only root
// (or the caller) can change.
func (d *Dir) CurrentFiles(l Lineage) (fullchain, privkey string, err error) {
	for _, f := range []struct {
		rel string
		out *string
		use string
	}{{l.Current.Fullchain, &fullchain, "fullchain"}, {l.Current.PrivKey, &privkey, "privkey"}} {
		if f.rel == "" {
			return "", "", i18n.Errorf("lineage %s: its %s could not be found inside %s: %w", l.Name, f.use, d.path, ErrOutsideDir)
		}
		// The directory holding the file (archive/NAME) must be as safe
		// as certbot's own: the caller reads the file by its path.
		if err := checkOwned(filepath.Join(d.real, filepath.Dir(f.rel))); err != nil {
			return "", "", err
		}
		ok, err := d.isRegular(f.rel)
		if err != nil {
			return "", "", err
		}
		if !ok {
			return "", "", i18n.Errorf("lineage %s: %s is missing", l.Name, f.rel)
		}
		*f.out = filepath.Join(d.real, f.rel)
	}
	return fullchain, privkey, nil
}

// RenewalEnabled reports whether certbot renew would still pick NAME:
// renewal/NAME.conf exists as a regular file.
func (d *Dir) RenewalEnabled(name string) (bool, error) {
	if err := checkName(name); err != nil {
		return false, err
	}
	return d.isRegular(filepath.Join("renewal", name+".conf"))
}
