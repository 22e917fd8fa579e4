package txn

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func commitDone(t *testing.T, state string, changes []Change) *Tx {
	t.Helper()
	tx, err := Begin(state, changes)
	must(t, err)
	must(t, tx.Commit())
	must(t, tx.Done())
	return tx
}

// Taking a finished transaction back with the changes Reverse gives puts
// every kind of target back exactly: bytes, modes, owners, links, files
// it created, files it removed.
func TestReverseRestoresTheTreeBefore(t *testing.T) {
	f := newFixture(t, t.TempDir())
	before := snapTree(t, f.nginx)
	tx := commitDone(t, f.state, f.changes())
	undo, err := Reverse(f.state, tx.ID)
	must(t, err)
	var back []Change
	for _, u := range undo {
		back = append(back, u.Change)
	}
	commitDone(t, f.state, back)
	assertTree(t, before, snapTree(t, f.nginx))

	if id, err := LastDone(f.state, f.p("conf.d/new.conf")); err != nil || id == "" {
		t.Errorf("LastDone = %q, %v", id, err)
	}
	if id, err := LastDone(f.state, f.p("nowhere.conf")); err != nil || id != "" {
		t.Errorf("LastDone for a path never changed = %q, %v", id, err)
	}
}

// A target edited since the transaction is never overwritten: Reverse
// refuses, naming it.
func TestReverseRefusesAnEditedTarget(t *testing.T) {
	f := newFixture(t, t.TempDir())
	tx := commitDone(t, f.state, f.changes())
	must(t, os.WriteFile(f.p("conf.d/a.conf"), []byte("# mine\n"), 0o644))
	_, err := Reverse(f.state, tx.ID)
	var ee *EditedSinceError
	if !errors.As(err, &ee) || ee.Path != f.p("conf.d/a.conf") {
		t.Fatalf("Reverse = %v, want an EditedSinceError for conf.d/a.conf", err)
	}
}

// A transaction that was rolled back has nothing to take back; a
// backup that no longer matches its checksum is refused.
func TestReverseRefusesRolledBackAndTamperedBackups(t *testing.T) {
	f := newFixture(t, t.TempDir())
	tx, err := Begin(f.state, f.changes())
	must(t, err)
	must(t, tx.Commit())
	must(t, tx.Rollback())
	var nd *NotDoneError
	if _, err := Reverse(f.state, tx.ID); !errors.As(err, &nd) {
		t.Errorf("Reverse of a rolled-back transaction = %v", err)
	}

	tx = commitDone(t, f.state, f.changes())
	for _, b := range tx.Backups() {
		if b.Path == f.p("nginx.conf") {
			must(t, os.WriteFile(b.BackupPath, []byte("tampered\n"), 0o600))
		}
	}
	if _, err := Reverse(f.state, tx.ID); err == nil {
		t.Error("Reverse used a backup that does not match its checksum")
	}
	if _, err := Reverse(f.state, "../"+filepath.Base(f.state)); err == nil {
		t.Error("Reverse read a journal by a name httpsify never gives")
	}
}
