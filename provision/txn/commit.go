package txn

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/httpsify/httpsify/assets/i18n"
)

// testHookBeforeApply, when set by tests, runs before each target is
// replaced; it lets tests fail or kill the process mid-commit.
var testHookBeforeApply func(i int, path string)

// Commit makes every change visible, each by a single rename. If any step
// fails, everything already done is rolled back before returning.
func (t *Tx) Commit() error {
	if t.j.State != StatePrepared {
		return fmt.Errorf("txn %s: cannot commit in state %s", t.ID, t.j.State)
	}
	// Refuse to overwrite edits made since Begin: the backups would be stale
	// and a rollback would silently undo someone else's change.
	for i := range t.j.Entries {
		if err := t.j.Entries[i].unchanged(); err != nil {
			return t.abortCommit(err)
		}
	}
	if err := t.setState(StateApplying); err != nil {
		return t.abortCommit(err)
	}
	dirs := map[string]bool{}
	for i := range t.j.Entries {
		e := &t.j.Entries[i]
		if testHookBeforeApply != nil {
			testHookBeforeApply(i, e.Path)
		}
		if err := e.apply(); err != nil {
			return t.failCommit(e.Path, err)
		}
		dirs[filepath.Dir(e.Path)] = true
	}
	for d := range dirs {
		if err := fsyncDir(d); err != nil {
			return t.failCommit(d, err)
		}
	}
	if err := t.setState(StateApplied); err != nil {
		return t.failCommit(t.journalPath, err)
	}
	return nil
}

// abortCommit handles a failure before any target was touched.
func (t *Tx) abortCommit(cause error) error {
	if err := t.Abandon(); err != nil {
		return i18n.Errorf("txn %s: %v; no target was changed, but cleaning up staged files failed: %v", t.ID, cause, err)
	}
	return i18n.Errorf("txn %s: %w; no target was changed", t.ID, cause)
}

// failCommit rolls back after a failure at path and says whether that worked.
func (t *Tx) failCommit(path string, cause error) error {
	if err := t.Rollback(); err != nil {
		return i18n.Errorf("txn %s: commit failed at %s: %v; ROLLBACK ALSO FAILED: %v; originals are in %s and journal %s lets the next run retry",
			t.ID, path, cause, err, t.BackupDir, t.journalPath)
	}
	return i18n.Errorf("txn %s: commit failed at %s: %w; all changes were rolled back and the originals restored", t.ID, path, cause)
}

// apply replaces the target: one rename, or one unlink for a removal.
func (e *entry) apply() error {
	switch e.Op {
	case opRemove:
		if !e.Existed {
			return nil
		}
		return unlinkNonDir(e.Path)
	default:
		return os.Rename(e.TempPath, e.Path)
	}
}

// unchanged checks that the target is still what Begin backed up and that
// the staged temp is still there.
func (e *entry) unchanged() error {
	fi, err := os.Lstat(e.Path)
	switch {
	case !e.Existed:
		if err == nil {
			return i18n.Errorf("%s was created by someone else after Begin", e.Path)
		}
		if !notExist(err) {
			return err
		}
	case err != nil:
		return i18n.Errorf("%s changed after Begin: %w", e.Path, err)
	case e.WasSymlink:
		if link, err := os.Readlink(e.Path); err != nil || link != e.OldLink {
			return i18n.Errorf("%s changed after Begin (symlink target)", e.Path)
		}
	case !fi.Mode().IsRegular():
		return i18n.Errorf("%s changed after Begin (no longer a regular file)", e.Path)
	default:
		if sum, err := hashFile(e.Path); err != nil || sum != e.OldSHA256 {
			return i18n.Errorf("%s was modified after Begin", e.Path)
		}
	}
	if e.TempPath != "" {
		if _, err := os.Lstat(e.TempPath); err != nil {
			return i18n.Errorf("staged file for %s is missing: %w", e.Path, err)
		}
	}
	return nil
}
