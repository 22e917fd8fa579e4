package txn

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Rollback puts every target back byte for byte, with its mode and owner,
// restores symlinks, removes targets that did not exist before and deletes
// staged temps. It is idempotent, and it works from the journal alone, so
// it is also what Recover runs after a crash. Targets already in their
// original state are not rewritten.
func (t *Tx) Rollback() error {
	switch t.j.State {
	case StateRolledBack:
		return nil
	case StateDone:
		return i18n.Errorf("txn %s is done; restore by hand from %s", t.ID, t.BackupDir)
	case StatePrepared:
		return t.Abandon()
	}
	t.restored = nil
	var errs []error
	dirs := map[string]bool{}
	for i := len(t.j.Entries) - 1; i >= 0; i-- {
		e := &t.j.Entries[i]
		if e.editedSince() {
			kept, err := e.keepEdit(t.BackupDir)
			if err != nil {
				errs = append(errs, fmt.Errorf("keep edited %s: %w", e.Path, err))
				continue
			}
			t.restored = append(t.restored, kept)
			continue
		}
		did, err := e.restore()
		if err != nil {
			errs = append(errs, fmt.Errorf("restore %s: %w", e.Path, err))
			continue
		}
		if did != "" {
			t.restored = append(t.restored, did)
			dirs[filepath.Dir(e.Path)] = true
		}
	}
	errs = append(errs, t.removeTemps()...)
	t.removeCreatedDirs()
	for d := range dirs {
		if err := fsyncDir(d); err != nil && !notExist(err) {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		// Journal keeps its state so Recover can retry.
		return i18n.Errorf("txn %s: rollback incomplete (originals are in %s): %w", t.ID, t.BackupDir, errors.Join(errs...))
	}
	return t.setState(StateRolledBack)
}

// restore returns the target to its recorded original state. It returns
// what it did, or "" if the target was already as it was.
func (e *entry) restore() (string, error) {
	if !e.Existed {
		if e.Op == opRemove {
			return "", nil
		}
		fi, err := os.Lstat(e.Path)
		if notExist(err) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		if fi.IsDir() {
			return "", nil // we never put a directory there: not ours to remove
		}
		if err := unlinkNonDir(e.Path); err != nil {
			return "", err
		}
		return i18n.T("removed %s (did not exist before)", e.Path), nil
	}

	if e.WasSymlink {
		if fi, err := os.Lstat(e.Path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			if link, _ := os.Readlink(e.Path); link == e.OldLink {
				return "", nil
			}
		}
		if err := removeIfExists(e.RestoreTemp); err != nil {
			return "", err
		}
		if err := os.Symlink(e.OldLink, e.RestoreTemp); err != nil {
			return "", err
		}
		if err := e.lchownRestoreTemp(); err != nil {
			return "", err
		}
		if err := os.Rename(e.RestoreTemp, e.Path); err != nil {
			os.Remove(e.RestoreTemp)
			return "", err
		}
		return i18n.T("restored symlink %s -> %s", e.Path, e.OldLink), nil
	}

	if e.matches() {
		return "", nil
	}
	if err := removeIfExists(e.RestoreTemp); err != nil {
		return "", err
	}
	src, err := os.Open(e.BackupPath)
	if err != nil {
		return "", fmt.Errorf("open backup: %w", err)
	}
	defer src.Close()
	sum, err := writeNew(e.RestoreTemp, src, e.OldMode, e.OldUID, e.OldGID)
	if err != nil {
		return "", err
	}
	if sum != e.OldSHA256 {
		os.Remove(e.RestoreTemp)
		return "", i18n.Errorf("backup %s does not match its recorded checksum; target left as is", e.BackupPath)
	}
	if err := os.Rename(e.RestoreTemp, e.Path); err != nil {
		os.Remove(e.RestoreTemp)
		return "", err
	}
	return i18n.T("restored %s", e.Path), nil
}

// lchownRestoreTemp gives a restored symlink its old owner when we can;
// only root can, and symlink ownership rarely matters, so non-root skips it.
func (e *entry) lchownRestoreTemp() error {
	if os.Geteuid() != 0 {
		return nil
	}
	if err := lchownIfNeeded(e.RestoreTemp, e.OldUID, e.OldGID); err != nil {
		os.Remove(e.RestoreTemp)
		return err
	}
	return nil
}

// matches reports whether a regular-file target already has its original
// bytes, mode and owner.
func (e *entry) matches() bool {
	fi, err := os.Lstat(e.Path)
	if err != nil || !fi.Mode().IsRegular() || fi.Mode()&keptModeBits != e.OldMode {
		return false
	}
	if uid, gid := owner(fi); uid != e.OldUID || gid != e.OldGID {
		return false
	}
	sum, err := hashFile(e.Path)
	return err == nil && sum == e.OldSHA256
}
