package txn

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/statedir"
)

// keptModeBits are the mode bits a backup and a restore preserve.
const keptModeBits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

// Begin validates changes, backs up every existing target into
// <stateDir>/backups/<ID>/, writes the journal <stateDir>/txn/<ID>.json and
// stages new content next to each target. No target changes yet.
//
// A missing parent directory is an error, except inside stateDir where it
// is created (and removed again on rollback if still empty).
func Begin(stateDir string, changes []Change) (*Tx, error) {
	stateDir, err := filepath.Abs(stateDir)
	if err != nil {
		return nil, err
	}
	if err := validate(stateDir, changes); err != nil {
		return nil, err
	}
	backupRoot := statedir.Layout(stateDir).Backups()
	for _, d := range []string{journalDir(stateDir), backupRoot} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("txn: %w", err)
		}
	}
	id := newID()
	t := &Tx{
		ID:          id,
		BackupDir:   statedir.Layout(stateDir).Backup(id),
		stateDir:    stateDir,
		journalPath: journalPath(stateDir, id),
	}
	t.j = &journal{ID: id, State: StatePrepared, Created: timeNow(), BackupDir: t.BackupDir}
	if err := os.Mkdir(t.BackupDir, 0o700); err != nil {
		return nil, fmt.Errorf("txn: %w", err)
	}

	journaled := false
	fail := func(err error) (*Tx, error) {
		if journaled {
			if aerr := t.Abandon(); aerr != nil {
				err = fmt.Errorf("%w (cleanup: %v)", err, aerr)
			}
		} else {
			// No journal refers to these yet, so nothing else will clean them.
			_ = os.RemoveAll(t.BackupDir)
			t.removeCreatedDirs()
		}
		return nil, err
	}

	for _, c := range changes {
		if err := t.ensureParent(c.Path); err != nil {
			return fail(err)
		}
		e, err := t.backup(c)
		if err != nil {
			return fail(err)
		}
		t.j.Entries = append(t.j.Entries, e)
	}
	// Backups must be durable before the journal can claim them.
	if err := fsyncTree(t.BackupDir); err != nil {
		return fail(err)
	}
	if err := fsyncDir(backupRoot); err != nil {
		return fail(err)
	}
	// Journal before staging, so a crash while staging leaves temps that
	// Recover knows about.
	if err := writeJournal(t.journalPath, t.j); err != nil {
		return fail(fmt.Errorf("txn: %w", err))
	}
	journaled = true
	for i := range t.j.Entries {
		if err := t.j.Entries[i].stage(changes[i]); err != nil {
			return fail(i18n.Errorf("txn: stage %s: %w", changes[i].Path, err))
		}
	}
	return t, nil
}

// ensureParent checks that path's directory exists, creating it only when
// it is inside the state directory (httpsify's own territory).
func (t *Tx) ensureParent(path string) error {
	parent := filepath.Dir(path)
	fi, err := os.Stat(parent)
	switch {
	case err == nil && fi.IsDir():
		return nil
	case err == nil:
		return i18n.Errorf("txn: parent of %s is not a directory", path)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("txn: %w", err)
	case !within(t.stateDir, parent):
		return i18n.Errorf("txn: parent directory %s of %s does not exist", parent, path)
	}
	// Collect missing ancestors outermost first, then create them. 0755:
	// nginx workers may need to read things kept here (e.g. ACME webroot).
	var missing []string
	for d := parent; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			break
		}
		missing = append([]string{d}, missing...)
	}
	for _, d := range missing {
		if err := os.Mkdir(d, 0o755); err != nil {
			return fmt.Errorf("txn: %w", err)
		}
		t.j.CreatedDirs = append(t.j.CreatedDirs, d)
	}
	return nil
}

// backup records the target's current state and copies it into BackupDir
// (mirroring its absolute path).
func (t *Tx) backup(c Change) (entry, error) {
	e := entry{Path: c.Path, Op: c.op(), OldUID: -1, OldGID: -1, NewLink: c.Symlink}
	fi, err := os.Lstat(c.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return e, fmt.Errorf("txn: %w", err)
	case fi.IsDir():
		return e, i18n.Errorf("txn: %s is a directory; refusing to replace it", c.Path)
	case fi.Mode()&fs.ModeSymlink != 0:
		e.Existed, e.WasSymlink = true, true
		e.OldUID, e.OldGID = owner(fi)
		if e.OldLink, err = os.Readlink(c.Path); err != nil {
			return e, fmt.Errorf("txn: %w", err)
		}
		e.BackupPath = filepath.Join(t.BackupDir, c.Path)
		if err := os.MkdirAll(filepath.Dir(e.BackupPath), 0o700); err != nil {
			return e, fmt.Errorf("txn: %w", err)
		}
		if err := os.Symlink(e.OldLink, e.BackupPath); err != nil {
			return e, i18n.Errorf("txn: back up %s: %w", c.Path, err)
		}
	case fi.Mode().IsRegular():
		e.Existed = true
		e.OldMode = fi.Mode() & keptModeBits
		e.OldUID, e.OldGID = owner(fi)
		e.BackupPath = filepath.Join(t.BackupDir, c.Path)
		if err := os.MkdirAll(filepath.Dir(e.BackupPath), 0o700); err != nil {
			return e, fmt.Errorf("txn: %w", err)
		}
		if e.OldSHA256, err = copyFile(c.Path, e.BackupPath, e.OldMode, e.OldUID, e.OldGID); err != nil {
			return e, i18n.Errorf("txn: back up %s: %w", c.Path, err)
		}
	default:
		return e, i18n.Errorf("txn: %s is not a regular file or symlink (%v)", c.Path, fi.Mode().Type())
	}
	if e.Existed {
		e.RestoreTemp = tempPath(c.Path)
	}
	if e.Op == opRemove {
		return e, nil
	}
	e.TempPath = tempPath(c.Path)
	if e.Op == opWrite {
		sum := sha256.Sum256(c.Content)
		e.NewSHA256 = hex.EncodeToString(sum[:])
		e.NewMode = c.Mode
		if e.NewMode == 0 {
			e.NewMode = 0o644
			if e.Existed && !e.WasSymlink {
				e.NewMode = e.OldMode
			}
		}
	}
	return e, nil
}

// copyFile copies src (never following a symlink) to a new file dst with
// mode perm, and with src's owner when running as root, so `cp -a` from the
// backup tree restores faithfully.
func copyFile(src, dst string, perm fs.FileMode, uid, gid int) (string, error) {
	f, err := os.OpenFile(src, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if os.Geteuid() != 0 {
		uid, gid = -1, -1
	}
	return writeNew(dst, f, perm, uid, gid)
}

// stage writes the new content (or symlink) to the entry's temp path.
func (e *entry) stage(c Change) error {
	switch e.Op {
	case opWrite:
		uid, gid := -1, -1
		if e.Existed && !e.WasSymlink {
			uid, gid = e.OldUID, e.OldGID // a rewritten file keeps its owner
		}
		_, err := writeNew(e.TempPath, bytes.NewReader(c.Content), e.NewMode, uid, gid)
		return err
	case opSymlink:
		return os.Symlink(c.Symlink, e.TempPath)
	}
	return nil
}

// fsyncTree fsyncs every directory under root (files are fsynced when
// written), so the backup tree's entries survive a power loss.
func fsyncTree(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return fsyncDir(p)
		}
		return nil
	})
}
