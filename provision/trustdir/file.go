package trustdir

import (
	"os"
	"path/filepath"

	"github.com/httpsify/httpsify/assets/i18n"
)

// CheckFile refuses a file httpsify would run or read as root unless root
// alone (or the user httpsify runs as) could have put it there: its
// directory passes Check, and the file itself is a regular file, not a
// symlink, owned by root (or that user) and not writable by group or
// others.
func CheckFile(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if err := Check(filepath.Dir(abs)); err != nil {
		return err
	}
	fi, err := os.Lstat(abs)
	if err != nil {
		return err
	}
	uid := uidOf(fi)
	switch {
	case !fi.Mode().IsRegular():
		return &Error{Path: abs, UID: uid, Mode: fi.Mode(), Why: i18n.N("is not a regular file")}
	case !trustedOwner(uid):
		return &Error{Path: abs, UID: uid, Mode: fi.Mode(), Why: i18n.N("is owned by another user")}
	case fi.Mode().Perm()&0o022 != 0:
		return &Error{Path: abs, UID: uid, Mode: fi.Mode(), Why: i18n.N("can be written by group or others")}
	}
	return nil
}
