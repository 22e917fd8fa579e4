package txn

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Finished is one finished (done) transaction: its ID and the paths it
// changed, in journal order.
type Finished struct {
	ID    string
	Paths []string
}

// History lists the finished transactions httpsify wrote, oldest first
// (IDs sort by time). Journals httpsify did not write, and transactions
// rolled back or still open, are left out.
func History(stateDir string) ([]Finished, error) {
	stateDir, err := filepath.Abs(stateDir)
	if err != nil {
		return nil, err
	}
	dir := journalDir(stateDir)
	ents, err := os.ReadDir(dir)
	if notExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("txn: %w", err)
	}
	if err := checkJournalDir(dir); err != nil {
		return nil, err
	}
	var out []Finished
	for _, ent := range ents {
		id, ok := strings.CutSuffix(ent.Name(), ".json")
		if !ok || !idPattern.MatchString(id) {
			continue
		}
		j, err := readTrustedJournal(stateDir, id)
		if err != nil || j.State != StateDone {
			continue
		}
		f := Finished{ID: id}
		for _, e := range j.Entries {
			f.Paths = append(f.Paths, e.Path)
		}
		out = append(out, f)
	}
	return out, nil
}

// EditedBetweenError: a target was changed by someone between two of
// httpsify's transactions; putting back the original from before the
// first would drop that change.
type EditedBetweenError struct{ Path, After string }

func (e *EditedBetweenError) Error() string {
	return i18n.T("%s was changed by someone else after httpsify's change %s; it is left as it is", e.Path, e.After)
}

// Original is the change that puts path back as it was before the first
// of ids, the finished transactions that changed it, oldest first (after
// the last of them that put it back as it was: its history starts
// again). Each must have started from what the one before it left, and
// path must still hold what the last one left (EditedSinceError): an
// edit someone made in between is never dropped silently. The original is read from
// the first transaction's backup and checked against its checksum.
func Original(stateDir, path string, ids []string) (Undo, error) {
	stateDir, err := filepath.Abs(stateDir)
	if err != nil {
		return Undo{}, err
	}
	if len(ids) == 0 {
		return Undo{}, fmt.Errorf("txn: no transaction changed %s", path)
	}
	var entries []entry
	for _, id := range ids {
		j, err := readTrustedJournal(stateDir, id)
		if err != nil {
			return Undo{}, err
		}
		if j.State != StateDone {
			return Undo{}, &NotDoneError{ID: id, State: j.State}
		}
		found := false
		for _, e := range j.Entries {
			if e.Path == path {
				entries, found = append(entries, e), true
				break
			}
		}
		if !found {
			return Undo{}, fmt.Errorf("txn: %s did not change %s", id, path)
		}
	}
	// start is the transaction whose original is the answer. A change
	// that put the file back as it was before start (a restoring removal)
	// ends that history: what anyone wrote after it was theirs, and the
	// next change starts from it.
	start := 0
	for i := 1; i < len(entries); i++ {
		left, ok := entries[i-1].stateAfter()
		if ok && left == entries[start].stateBefore() {
			start = i
			continue
		}
		if ok && left != entries[i].stateBefore() {
			return Undo{}, &EditedBetweenError{Path: path, After: ids[i-1]}
		}
	}
	if !entries[len(entries)-1].holdsNew() {
		return Undo{}, &EditedSinceError{Path: path}
	}
	first := entries[start]
	u := Undo{Change: Change{Path: path}, Existed: first.Existed}
	switch {
	case !first.Existed:
		u.Remove = true
	case first.WasSymlink:
		u.Symlink, u.OldLink = first.OldLink, first.OldLink
	default:
		b, err := readBackup(first.BackupPath, first.OldSHA256)
		if err != nil {
			return Undo{}, fmt.Errorf("the original of %s: %w", path, err)
		}
		u.Content, u.Mode = b, first.OldMode.Perm()
	}
	return u, nil
}

// stateBefore names what the target was before the transaction.
func (e *entry) stateBefore() string {
	switch {
	case !e.Existed:
		return "absent"
	case e.WasSymlink:
		return "link:" + e.OldLink
	}
	return "file:" + e.OldSHA256
}

// stateAfter names what the transaction left; false when its journal is
// too old to say (no new_sha256).
func (e *entry) stateAfter() (string, bool) {
	switch e.Op {
	case opRemove:
		return "absent", true
	case opSymlink:
		return "link:" + e.NewLink, true
	}
	return "file:" + e.NewSHA256, e.NewSHA256 != ""
}
