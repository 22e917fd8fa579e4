package certbot

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Dir is an opened certbot configuration directory.
type Dir struct {
	path string // as given (what nginx configs name)
	real string // symlinks resolved (where the files are)
	root *os.Root
}

// Open opens certbot's config dir (DefaultDir when dir is empty) after
// checking that neither it nor its renewal directory can be changed by
// anyone but root or the caller.
func Open(dir string) (*Dir, error) {
	if dir == "" {
		dir = DefaultDir
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, i18n.Errorf("certbot directory: %w", err)
	}
	if err := checkOwned(real); err != nil {
		return nil, err
	}
	renewal := filepath.Join(real, "renewal")
	if st, err := os.Lstat(renewal); err != nil {
		return nil, i18n.Errorf("certbot renewal directory: %w", err)
	} else if !st.IsDir() {
		return nil, i18n.Errorf("certbot renewal directory %s: %w", renewal, ErrUnsafeDir)
	}
	if err := checkOwned(renewal); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(real)
	if err != nil {
		return nil, err
	}
	return &Dir{path: filepath.Clean(abs), real: real, root: root}, nil
}

// Close releases the directory.
func (d *Dir) Close() error { return d.root.Close() }

// Path is the certbot directory as given.
func (d *Dir) Path() string { return d.path }

// checkOwned refuses a directory (not followed if a symlink) that group or
// others can write, or that is owned by a user other than root or the
// caller: such a user could plant a renewal file httpsify would act on.
func checkOwned(path string) error {
	st, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return i18n.Errorf("%s is not a directory: %w", path, ErrUnsafeDir)
	}
	if st.Mode().Perm()&0o022 != 0 {
		return i18n.Errorf("%s (mode %04o) can be written by group or others: %w", path, st.Mode().Perm(), ErrUnsafeDir)
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok && sys.Uid != 0 && int(sys.Uid) != os.Geteuid() {
		return i18n.Errorf("%s is owned by uid %d: %w", path, sys.Uid, ErrUnsafeDir)
	}
	return nil
}

// rel turns an absolute path that certbot wrote (or nginx names) into one
// relative to the certbot directory; ok is false outside it.
func (d *Dir) rel(p string) (string, bool) {
	p = filepath.Clean(p)
	for _, base := range []string{d.path, d.real} {
		if r, err := filepath.Rel(base, p); err == nil && filepath.IsLocal(r) {
			return r, true
		}
	}
	return "", false
}

// maxLinks bounds symlink hops, as the kernel's ELOOP does.
const maxLinks = 8

// resolve follows symlinks from name (relative to the certbot directory)
// and returns the relative path of the file finally named. Relative links
// (certbot's own) and absolute links into the certbot directory (older
// setups) are followed; anything leading outside is ErrOutsideDir.
func (d *Dir) resolve(name string) (string, error) {
	for range maxLinks {
		st, err := d.root.Lstat(name)
		if err != nil {
			return "", err
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			return name, nil
		}
		target, err := d.root.Readlink(name)
		if err != nil {
			return "", err
		}
		var next string
		if filepath.IsAbs(target) {
			r, ok := d.rel(target)
			if !ok {
				return "", fmt.Errorf("%s -> %s: %w", name, target, ErrOutsideDir)
			}
			next = r
		} else {
			next = filepath.Join(filepath.Dir(name), target)
			if !filepath.IsLocal(next) {
				return "", fmt.Errorf("%s -> %s: %w", name, target, ErrOutsideDir)
			}
		}
		name = next
	}
	return "", i18n.Errorf("%s: too many levels of symbolic links", name)
}
