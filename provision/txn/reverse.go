package txn

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Undo is one target of a finished transaction as it was before it: what
// a later transaction must write to take that transaction back.
type Undo struct {
	Change
	// Existed: the target existed before; otherwise Change removes it.
	Existed bool
	// OldLink is the symlink target it had, when it was a symlink.
	OldLink string
}

// NotDoneError: the transaction is not one that finished (rolled back,
// or still open), so there is nothing of it to take back.
type NotDoneError struct {
	ID    string
	State State
}

func (e *NotDoneError) Error() string {
	return i18n.T("txn %s is %s, not done: there is nothing of it to take back", e.ID, e.State)
}

// EditedSinceError: a target no longer holds what the transaction wrote;
// someone changed it since, and taking the transaction back would drop
// that change.
type EditedSinceError struct{ Path string }

func (e *EditedSinceError) Error() string {
	return i18n.T("%s was changed since httpsify wrote it; it is left as it is", e.Path)
}

// Reverse reads a finished (done) transaction's journal, only if it is
// one httpsify wrote (see readTrustedJournal), and returns the changes
// that put each of its targets back as it was before it, the originals
// read from its backups and checked against their recorded checksums.
// Every target must still hold what the transaction wrote.
func Reverse(stateDir, id string) ([]Undo, error) {
	stateDir, err := filepath.Abs(stateDir)
	if err != nil {
		return nil, err
	}
	j, err := readTrustedJournal(stateDir, id)
	if err != nil {
		return nil, err
	}
	if j.State != StateDone {
		return nil, &NotDoneError{ID: id, State: j.State}
	}
	out := make([]Undo, 0, len(j.Entries))
	for _, e := range j.Entries {
		if !e.holdsNew() {
			return nil, &EditedSinceError{Path: e.Path}
		}
		u := Undo{Change: Change{Path: e.Path}, Existed: e.Existed}
		switch {
		case !e.Existed:
			u.Remove = true
		case e.WasSymlink:
			u.Symlink, u.OldLink = e.OldLink, e.OldLink
		default:
			b, err := readBackup(e.BackupPath, e.OldSHA256)
			if err != nil {
				return nil, err
			}
			u.Content, u.Mode = b, e.OldMode.Perm()
		}
		out = append(out, u)
	}
	return out, nil
}

// holdsNew reports whether the target is exactly what the transaction
// left: its new link, its new bytes, or gone when it removed it.
func (e *entry) holdsNew() bool {
	fi, err := os.Lstat(e.Path)
	switch e.Op {
	case opRemove:
		return notExist(err)
	case opSymlink:
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return false
		}
		link, err := os.Readlink(e.Path)
		return err == nil && link == e.NewLink
	default:
		if err != nil || !fi.Mode().IsRegular() || e.NewSHA256 == "" {
			return false
		}
		sum, err := hashFile(e.Path)
		return err == nil && sum == e.NewSHA256
	}
}

// readBackup reads an original from the backup dir, refusing a symlink
// in its place and content that is not what was backed up.
func readBackup(path, want string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != want {
		return nil, i18n.Errorf("backup %s does not match its recorded checksum", path)
	}
	return b, nil
}

// LastDone is the newest finished (done) transaction that changed path,
// "" when there is none. Journals httpsify did not write are skipped.
func LastDone(stateDir, path string) (string, error) {
	stateDir, err := filepath.Abs(stateDir)
	if err != nil {
		return "", err
	}
	dir := journalDir(stateDir)
	ents, err := os.ReadDir(dir)
	if notExist(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("txn: %w", err)
	}
	if err := checkJournalDir(dir); err != nil {
		return "", err
	}
	// ReadDir sorts by name and IDs sort by time: newest last.
	for i := len(ents) - 1; i >= 0; i-- {
		id, ok := strings.CutSuffix(ents[i].Name(), ".json")
		if !ok || !idPattern.MatchString(id) {
			continue
		}
		j, err := readTrustedJournal(stateDir, id)
		if err != nil || j.State != StateDone {
			continue
		}
		for _, e := range j.Entries {
			if e.Path == path {
				return id, nil
			}
		}
	}
	return "", nil
}
