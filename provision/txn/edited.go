package txn

import (
	"io/fs"
	"os"
	"path/filepath"

	"github.com/httpsify/httpsify/assets/i18n"
)

// editedSince reports whether the target now holds neither its original
// nor what this transaction put there: someone changed it after the run
// was interrupted, and restoring the backup would silently drop that.
// A missing target is not an edit (restore puts the original back).
func (e *entry) editedSince() bool {
	fi, err := os.Lstat(e.Path)
	if err != nil {
		return false
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		link, err := os.Readlink(e.Path)
		if err != nil {
			return false
		}
		if (e.WasSymlink && link == e.OldLink) || (e.Op == opSymlink && link == e.NewLink) {
			return false
		}
		return e.Op != opWrite || e.NewSHA256 != ""
	case fi.Mode().IsRegular():
		sum, err := hashFile(e.Path)
		if err != nil {
			return false
		}
		if e.Existed && !e.WasSymlink && sum == e.OldSHA256 {
			return false
		}
		if e.Op == opWrite {
			// Journals from before new_sha256 was recorded cannot tell.
			return e.NewSHA256 != "" && sum != e.NewSHA256
		}
		return true
	}
	return false
}

// keepEdit leaves the edited target alone and copies it next to the
// original in the backup dir, so both versions are at hand.
func (e *entry) keepEdit(backupDir string) (string, error) {
	cp := filepath.Join(backupDir, e.Path) + ".edited-" + timeNow().Format("20060102-150405")
	if err := os.MkdirAll(filepath.Dir(cp), 0o700); err != nil {
		return "", err
	}
	fi, err := os.Lstat(e.Path)
	if err != nil {
		return "", err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		link, err := os.Readlink(e.Path)
		if err != nil {
			return "", err
		}
		if err := os.Symlink(link, cp); err != nil && !os.IsExist(err) {
			return "", err
		}
	} else {
		uid, gid := owner(fi)
		if err := removeIfExists(cp); err != nil {
			return "", err
		}
		if _, err := copyFile(e.Path, cp, fi.Mode()&keptModeBits, uid, gid); err != nil {
			return "", err
		}
	}
	orig := i18n.T("it did not exist before the run")
	if e.BackupPath != "" {
		orig = i18n.T("the original is %s", e.BackupPath)
	}
	return i18n.T("kept %s: it was changed after the interrupted run, so your version stays (copy in %s; %s)", e.Path, cp, orig), nil
}
