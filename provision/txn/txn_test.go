package txn

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommitReplacesEverything(t *testing.T) {
	f := newFixture(t, t.TempDir())
	tx, err := Begin(f.state, f.changes())
	must(t, err)
	must(t, tx.Commit())

	checks := map[string]fileState{
		f.p("nginx.conf"):            {Exists: true, Mode: 0o644, Data: "user www-data;\n# httpsify\n"},
		f.p("conf.d/a.conf"):         {Exists: true, Mode: 0o644, Data: "# a, new\n"},
		f.p("conf.d/secret.conf"):    {Exists: true, Mode: 0o600, Data: "# secret, new\n"},
		f.p("conf.d/new.conf"):       {Exists: true, Mode: 0o644, Data: "# new\n"},
		f.p("sites-enabled/site"):    {Exists: true, Link: "../sites-available/site2"},
		f.p("sites-enabled/old"):     {},
		f.p("sites-enabled/newlink"): {Exists: true, Link: "../sites-available/site"},
	}
	for p, want := range checks {
		got := snap(t, p)
		got.Type, got.UID, got.GID = 0, 0, 0
		if got != want {
			t.Errorf("%s: got %+v want %+v", p, got, want)
		}
	}
	if os.Geteuid() == 0 {
		if s := snap(t, f.p("conf.d/a.conf")); s.UID != fixtureOwner {
			t.Errorf("rewritten file lost its owner: uid %d", s.UID)
		}
	}
	if st := journalState(t, f.state, tx.ID); st != StateApplied {
		t.Errorf("journal state %s", st)
	}
	must(t, tx.Done())
	if st := journalState(t, f.state, tx.ID); st != StateDone {
		t.Errorf("journal state %s", st)
	}
	if tmp := tempsUnder(t, f.root); len(tmp) > 0 {
		t.Errorf("temps left: %v", tmp)
	}
	if _, err := os.Stat(filepath.Join(tx.BackupDir, f.p("nginx.conf"))); err != nil {
		t.Errorf("backup not kept after Done: %v", err)
	}
	if err := tx.Rollback(); err == nil || !strings.Contains(err.Error(), tx.BackupDir) {
		t.Errorf("Rollback after Done: %v", err)
	}
}

func TestRollbackRestoresExactly(t *testing.T) {
	f := newFixture(t, t.TempDir())
	before := snapTree(t, f.nginx)
	tx, err := Begin(f.state, f.changes())
	must(t, err)
	must(t, tx.Commit())
	must(t, tx.Rollback())
	assertTree(t, before, snapTree(t, f.nginx))
	if st := journalState(t, f.state, tx.ID); st != StateRolledBack {
		t.Errorf("journal state %s", st)
	}
	must(t, tx.Rollback()) // idempotent
	if err := tx.Done(); err == nil {
		t.Error("Done after Rollback succeeded")
	}
}

func TestBeginChangesNothingVisible(t *testing.T) {
	f := newFixture(t, t.TempDir())
	before := snapTree(t, f.nginx)
	tx, err := Begin(f.state, f.changes())
	must(t, err)
	// Only hidden temps were added.
	after := snapTree(t, f.nginx)
	for p := range after {
		if strings.Contains(filepath.Base(p), tempMarker) {
			delete(after, p)
		}
	}
	assertTree(t, before, after)
	must(t, tx.Abandon())
	assertTree(t, before, snapTree(t, f.nginx))
	if st := journalState(t, f.state, tx.ID); st != StateRolledBack {
		t.Errorf("journal state %s", st)
	}
	if err := tx.Commit(); err == nil {
		t.Error("Commit after Abandon succeeded")
	}
}

func TestBackups(t *testing.T) {
	f := newFixture(t, t.TempDir())
	tx, err := Begin(f.state, f.changes())
	must(t, err)
	defer tx.Abandon()
	got := map[string]Backup{}
	for _, b := range tx.Backups() {
		got[b.Path] = b
	}
	mirror := func(rel string) string { return filepath.Join(tx.BackupDir, f.p(rel)) }
	want := map[string]Backup{
		f.p("conf.d/secret.conf"):    {Path: f.p("conf.d/secret.conf"), BackupPath: mirror("conf.d/secret.conf"), Existed: true},
		f.p("conf.d/new.conf"):       {Path: f.p("conf.d/new.conf")},
		f.p("sites-enabled/site"):    {Path: f.p("sites-enabled/site"), BackupPath: mirror("sites-enabled/site"), Existed: true, WasSymlink: true},
		f.p("sites-enabled/newlink"): {Path: f.p("sites-enabled/newlink")},
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: got %+v want %+v", p, got[p], w)
		}
	}
	if len(got) != len(f.changes()) {
		t.Errorf("%d backups for %d changes", len(got), len(f.changes()))
	}
	if want, _ := filepath.Abs(filepath.Join(f.state, "backups", tx.ID)); tx.BackupDir != want {
		t.Errorf("BackupDir %s, want %s", tx.BackupDir, want)
	}
}

func TestBackupPermissions(t *testing.T) {
	f := newFixture(t, t.TempDir())
	tx, err := Begin(f.state, f.changes())
	must(t, err)
	defer tx.Abandon()

	secret := snap(t, filepath.Join(tx.BackupDir, f.p("conf.d/secret.conf")))
	if secret.Mode != 0o600 || secret.Data != "# secret, original\n" {
		t.Errorf("backup of 0600 file: %+v", secret)
	}
	a := snap(t, filepath.Join(tx.BackupDir, f.p("conf.d/a.conf")))
	if a.Mode != 0o640 || (os.Geteuid() == 0 && a.UID != fixtureOwner) {
		t.Errorf("backup of a.conf: %+v", a)
	}
	link := snap(t, filepath.Join(tx.BackupDir, f.p("sites-enabled/site")))
	if link.Link != "../sites-available/site" {
		t.Errorf("backup of symlink: %+v", link)
	}
	// Every directory of the backup tree, and the state dirs, are 0700.
	dirs := []string{filepath.Join(f.state, "backups"), filepath.Join(f.state, "txn")}
	filepath.WalkDir(tx.BackupDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	for _, d := range dirs {
		fi, err := os.Stat(d)
		must(t, err)
		if fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v, want 0700", d, fi.Mode().Perm())
		}
	}
	fi, err := os.Stat(journalPath(f.state, tx.ID))
	must(t, err)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("journal mode %v", fi.Mode().Perm())
	}
	// Staged temp of the 0600 file is 0600 from the start.
	for _, e := range tx.j.Entries {
		if e.Path == f.p("conf.d/secret.conf") {
			if s := snap(t, e.TempPath); s.Mode != 0o600 {
				t.Errorf("staged secret mode %v", s.Mode)
			}
		}
	}
}

func TestBeginValidation(t *testing.T) {
	f := newFixture(t, t.TempDir())
	ok := f.p("nginx.conf")
	cases := map[string][]Change{
		"no changes":       nil,
		"relative":         {{Path: "etc/nginx/nginx.conf"}},
		"unclean":          {{Path: f.nginx + "/conf.d/../nginx.conf"}},
		"duplicate":        {{Path: ok}, {Path: ok}},
		"root":             {{Path: "/"}},
		"remove+symlink":   {{Path: ok, Remove: true, Symlink: "x"}},
		"missing parent":   {{Path: f.p("nope/x.conf")}},
		"parent is a file": {{Path: f.p("nginx.conf/x")}},
		"target is dir":    {{Path: f.p("conf.d")}},
		"own journal":      {{Path: filepath.Join(f.state, "txn", "x.json")}},
		"bad mode":         {{Path: ok, Mode: os.ModeSetuid | 0o755}},
	}
	before := snapTree(t, f.nginx)
	for name, ch := range cases {
		if tx, err := Begin(f.state, ch); err == nil {
			t.Errorf("%s: Begin succeeded", name)
			tx.Abandon()
		}
	}
	assertTree(t, before, snapTree(t, f.nginx))
	// Failed Begins leave neither backups nor journals behind.
	for _, d := range []string{"backups", "txn"} {
		ents, _ := os.ReadDir(filepath.Join(f.state, d))
		if len(ents) != 0 {
			t.Errorf("%s not empty after failed Begins: %d entries", d, len(ents))
		}
	}
}

func TestBeginCreatesParentsOnlyInStateDir(t *testing.T) {
	f := newFixture(t, t.TempDir())
	live := filepath.Join(f.state, "live", "example.com")
	tx, err := Begin(f.state, []Change{{Path: live, Symlink: "/nonexistent/version"}})
	must(t, err)
	fi, err := os.Stat(filepath.Dir(live))
	must(t, err)
	if !fi.IsDir() {
		t.Fatal("parent not created")
	}
	must(t, tx.Commit())
	must(t, tx.Rollback())
	if _, err := os.Lstat(filepath.Dir(live)); !os.IsNotExist(err) {
		t.Errorf("created parent not removed on rollback: %v", err)
	}
}

func TestRemoveMissingIsNoop(t *testing.T) {
	f := newFixture(t, t.TempDir())
	tx, err := Begin(f.state, []Change{{Path: f.p("sites-enabled/gone"), Remove: true}})
	must(t, err)
	must(t, tx.Commit())
	must(t, tx.Done())
}

// A file may become a symlink and a symlink a file; rollback flips back.
func TestRollbackTypeFlips(t *testing.T) {
	f := newFixture(t, t.TempDir())
	before := snapTree(t, f.nginx)
	tx, err := Begin(f.state, []Change{
		{Path: f.p("conf.d/a.conf"), Symlink: "../sites-available/site"},
		{Path: f.p("sites-enabled/site"), Content: []byte("inline\n")},
	})
	must(t, err)
	must(t, tx.Commit())
	if s := snap(t, f.p("conf.d/a.conf")); s.Link != "../sites-available/site" {
		t.Fatalf("a.conf after commit: %+v", s)
	}
	if s := snap(t, f.p("sites-enabled/site")); s.Data != "inline\n" || s.Mode != 0o644 {
		t.Fatalf("site after commit: %+v", s)
	}
	must(t, tx.Rollback())
	assertTree(t, before, snapTree(t, f.nginx))
}
