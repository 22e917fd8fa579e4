package txn

import (
	"errors"
	"fmt"
	"time"
)

// Tx is one transaction. Get it from Begin; finish it with Done, Rollback
// or Abandon.
type Tx struct {
	ID        string // sortable: UTC time + random suffix
	BackupDir string // <stateDir>/backups/<ID>, kept after Done

	stateDir    string
	journalPath string
	j           *journal
	restored    []string // what the last Rollback changed, for Recover
}

// newID is sortable by time (fixed-width UTC timestamp) and unique enough
// (random suffix) for two runs in the same nanosecond.
func newID() string {
	return time.Now().UTC().Format("20060102-150405.000000000") + "-" + randHex(4)
}

// State reports where the transaction is in its life cycle.
func (t *Tx) State() State { return t.j.State }

// Backups lists each target and where its original is kept.
func (t *Tx) Backups() []Backup {
	out := make([]Backup, 0, len(t.j.Entries))
	for _, e := range t.j.Entries {
		out = append(out, Backup{Path: e.Path, BackupPath: e.BackupPath, Existed: e.Existed, WasSymlink: e.WasSymlink})
	}
	return out
}

// setState records s durably; on failure the in-memory state is unchanged
// so the caller still knows what is on disk.
func (t *Tx) setState(s State) error {
	old := t.j.State
	t.j.State = s
	if err := writeJournal(t.journalPath, t.j); err != nil {
		t.j.State = old
		return fmt.Errorf("txn %s: record state %s: %w", t.ID, s, err)
	}
	return nil
}

// Done confirms an applied transaction. Backups are kept so a user can
// still roll back by hand.
func (t *Tx) Done() error {
	switch t.j.State {
	case StateDone:
		return nil
	case StateApplied:
	default:
		return fmt.Errorf("txn %s: cannot mark done in state %s", t.ID, t.j.State)
	}
	if err := errors.Join(t.removeTemps()...); err != nil {
		return fmt.Errorf("txn %s: %w", t.ID, err)
	}
	return t.setState(StateDone)
}

// Abandon discards a transaction that was never committed: staged temps go,
// targets were never touched.
func (t *Tx) Abandon() error {
	switch t.j.State {
	case StateRolledBack:
		return nil
	case StatePrepared:
	default:
		return fmt.Errorf("txn %s: cannot abandon in state %s (use Rollback)", t.ID, t.j.State)
	}
	if err := errors.Join(t.removeTemps()...); err != nil {
		return fmt.Errorf("txn %s: abandon: %w", t.ID, err)
	}
	t.removeCreatedDirs()
	return t.setState(StateRolledBack)
}

// removeTemps deletes staged and restore temps; missing ones are fine.
func (t *Tx) removeTemps() []error {
	var errs []error
	for _, e := range t.j.Entries {
		for _, p := range []string{e.TempPath, e.RestoreTemp} {
			if err := removeIfExists(p); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errs
}

// removeCreatedDirs removes the parents Begin created, innermost first, if
// they are empty again. Non-empty ones are left: something else lives there.
func (t *Tx) removeCreatedDirs() {
	for i := len(t.j.CreatedDirs) - 1; i >= 0; i-- {
		_ = rmdir(t.j.CreatedDirs[i])
	}
}

func timeNow() time.Time { return time.Now().UTC() }
