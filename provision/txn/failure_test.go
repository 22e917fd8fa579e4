package txn

import (
	"os"
	"strings"
	"testing"
)

// indexOf returns the position of path in f.changes().
func (f fixture) indexOf(tb testing.TB, rel string) int {
	for i, c := range f.changes() {
		if c.Path == f.p(rel) {
			return i
		}
	}
	tb.Fatalf("%s not in changes", rel)
	return -1
}

// failAt runs fn right before the i-th target is replaced.
func failAt(t *testing.T, i int, fn func()) {
	testHookBeforeApply = func(j int, _ string) {
		if j == i {
			fn()
		}
	}
	t.Cleanup(func() { testHookBeforeApply = nil })
}

// assertRolledBack checks the tree, the journal and that no temp is left.
func assertRolledBack(t *testing.T, f fixture, tx *Tx, before map[string]fileState) {
	t.Helper()
	assertTree(t, before, snapTree(t, f.nginx))
	if st := journalState(t, f.state, tx.ID); st != StateRolledBack {
		t.Errorf("journal state %s", st)
	}
	if tmp := tempsUnder(t, f.nginx); len(tmp) > 0 {
		t.Errorf("temps left: %v", tmp)
	}
}

// A directory appears where a new file goes, after several targets were
// already replaced: the rename fails and everything is put back.
func TestCommitFailsMidwayTargetIsDirectory(t *testing.T) {
	f := newFixture(t, t.TempDir())
	i := f.indexOf(t, "sites-enabled/newlink")
	dir := f.p("sites-enabled/newlink")
	failAt(t, i, func() { must(t, os.Mkdir(dir, 0o755)) })
	before := snapTree(t, f.nginx) // snapTree skips directories

	tx, err := Begin(f.state, f.changes())
	must(t, err)
	err = tx.Commit()
	if err == nil {
		t.Fatal("Commit succeeded")
	}
	t.Log(err)
	if !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "rolled back") {
		t.Errorf("error does not name the path or the rollback: %v", err)
	}
	assertRolledBack(t, f, tx, before)
	if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() {
		t.Errorf("rollback removed a directory it did not create: %v", err)
	}
}

// A target's parent is replaced by a file mid-commit.
func TestCommitFailsMidwayBadParent(t *testing.T) {
	f := newFixture(t, t.TempDir())
	i := f.indexOf(t, "extra/x.conf")
	failAt(t, i, func() {
		must(t, os.Rename(f.p("extra"), f.root+"/extra.moved"))
		must(t, os.WriteFile(f.p("extra"), []byte("not a dir"), 0o644))
	})
	tx, err := Begin(f.state, f.changes())
	must(t, err)
	before := snapTree(t, f.nginx)
	for p := range before {
		if strings.Contains(p, tempMarker) {
			delete(before, p)
		}
	}
	err = tx.Commit()
	if err == nil || !strings.Contains(err.Error(), f.p("extra/x.conf")) || !strings.Contains(err.Error(), "rolled back") {
		t.Fatalf("Commit: %v", err)
	}
	// Everything but the sabotaged dir is back as it was.
	delete(before, f.p("extra/x.conf"))
	after := snapTree(t, f.nginx)
	delete(after, f.p("extra"))
	assertTree(t, before, after)
}

// A staged temp vanished: caught before anything is touched.
func TestCommitRefusesMissingStagedFile(t *testing.T) {
	f := newFixture(t, t.TempDir())
	before := snapTree(t, f.nginx)
	tx, err := Begin(f.state, f.changes())
	must(t, err)
	must(t, os.Remove(tx.j.Entries[3].TempPath))
	err = tx.Commit()
	if err == nil || !strings.Contains(err.Error(), "no target was changed") {
		t.Fatalf("Commit: %v", err)
	}
	assertRolledBack(t, f, tx, before)
}

// Someone edited a target between Begin and Commit: their edit must not
// be overwritten with a change computed from the old content.
func TestCommitRefusesTargetEditedAfterBegin(t *testing.T) {
	f := newFixture(t, t.TempDir())
	tx, err := Begin(f.state, f.changes())
	must(t, err)
	must(t, os.WriteFile(f.p("conf.d/secret.conf"), []byte("edited\n"), 0o600))
	before := snapTree(t, f.nginx)
	for p := range before {
		if strings.Contains(p, tempMarker) {
			delete(before, p)
		}
	}
	err = tx.Commit()
	if err == nil || !strings.Contains(err.Error(), f.p("conf.d/secret.conf")) {
		t.Fatalf("Commit: %v", err)
	}
	assertRolledBack(t, f, tx, before)
}
