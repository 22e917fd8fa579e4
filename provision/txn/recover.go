package txn

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Recover rolls back every transaction a dead process left unfinished
// (journal in prepared, applying or applied), newest first so stacked
// transactions unwind in order. It returns one line per target it changed,
// e.g. "txn <ID>: restored /etc/nginx/nginx.conf". Call it at
// start-up while holding the lock.
func Recover(stateDir string) ([]string, error) {
	stateDir, err := filepath.Abs(stateDir)
	if err != nil {
		return nil, err
	}
	dir := journalDir(stateDir)
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("txn: recover: %w", err)
	}
	if err := checkJournalDir(dir); err != nil {
		return nil, err
	}
	var ids []string
	for _, de := range ents {
		name := de.Name()
		switch {
		case strings.HasPrefix(name, ".") && strings.Contains(name, tempMarker):
			_ = os.Remove(filepath.Join(dir, name)) // journal write cut short
		case strings.HasSuffix(name, ".json"):
			ids = append(ids, strings.TrimSuffix(name, ".json"))
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(ids)))

	var done []string
	var errs []error
	for _, id := range ids {
		t, err := load(stateDir, id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !t.j.State.unfinished() {
			continue
		}
		err = t.Rollback()
		for _, r := range t.restored {
			done = append(done, fmt.Sprintf("txn %s: %s", id, r))
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return done, errors.Join(errs...)
}

// load rebuilds a Tx from its journal.
func load(stateDir, id string) (*Tx, error) {
	p := journalPath(stateDir, id)
	j, err := readTrustedJournal(stateDir, id)
	if err != nil {
		return nil, err
	}
	return &Tx{ID: j.ID, BackupDir: j.BackupDir, stateDir: stateDir, journalPath: p, j: j}, nil
}
