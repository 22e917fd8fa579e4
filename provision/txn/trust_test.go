package txn

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const nobodyUID = 65534

// interrupted leaves a committed transaction that was never marked done,
// as a killed run does, and returns its fixture, id and the tree after.
func interrupted(t *testing.T) (fixture, *Tx, map[string]fileState) {
	t.Helper()
	f := newFixture(t, t.TempDir())
	tx, err := Begin(f.state, f.changes())
	must(t, err)
	must(t, tx.Commit())
	return f, tx, snapTree(t, f.nginx)
}

// editJournal rewrites the journal's JSON through fn, keeping it root's
// and 0600, as an attacker who could write the directory would.
func editJournal(t *testing.T, tx *Tx, fn func(j map[string]any)) {
	t.Helper()
	data, err := os.ReadFile(tx.journalPath)
	must(t, err)
	var j map[string]any
	must(t, json.Unmarshal(data, &j))
	fn(j)
	data, _ = json.Marshal(j)
	must(t, os.WriteFile(tx.journalPath, data, 0o600))
}

func entryOf(j map[string]any, i int) map[string]any {
	return j["entries"].([]any)[i].(map[string]any)
}

func TestRecoverRefusesUntrustedJournals(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("planting files as another user needs root")
	}
	victim := filepath.Join(t.TempDir(), "victim")
	must(t, os.WriteFile(victim, []byte("precious\n"), 0o600))
	for name, plant := range map[string]func(t *testing.T, f fixture, tx *Tx){
		"owned by nobody": func(t *testing.T, f fixture, tx *Tx) { must(t, os.Chown(tx.journalPath, nobodyUID, nobodyUID)) },
		"mode 0644":       func(t *testing.T, f fixture, tx *Tx) { must(t, os.Chmod(tx.journalPath, 0o644)) },
		"mode 0660":       func(t *testing.T, f fixture, tx *Tx) { must(t, os.Chmod(tx.journalPath, 0o660)) },
		"symlink": func(t *testing.T, f fixture, tx *Tx) {
			elsewhere := filepath.Join(t.TempDir(), "j.json")
			must(t, os.Rename(tx.journalPath, elsewhere))
			must(t, os.Symlink(elsewhere, tx.journalPath))
		},
		"backup outside the backup dir": func(t *testing.T, f fixture, tx *Tx) {
			editJournal(t, tx, func(j map[string]any) { entryOf(j, 0)["backup_path"] = victim })
		},
		"backup dir elsewhere": func(t *testing.T, f fixture, tx *Tx) {
			editJournal(t, tx, func(j map[string]any) { j["backup_dir"] = filepath.Dir(victim) })
		},
		"restore temp is another file": func(t *testing.T, f fixture, tx *Tx) {
			editJournal(t, tx, func(j map[string]any) { entryOf(j, 0)["restore_temp"] = victim })
		},
		"staged temp is another file": func(t *testing.T, f fixture, tx *Tx) {
			editJournal(t, tx, func(j map[string]any) { entryOf(j, 3)["temp_path"] = victim })
		},
		"target path not clean": func(t *testing.T, f fixture, tx *Tx) {
			editJournal(t, tx, func(j map[string]any) { entryOf(j, 0)["path"] = f.nginx + "/../../" + filepath.Base(victim) })
		},
		"created dir outside the state dir": func(t *testing.T, f fixture, tx *Tx) {
			editJournal(t, tx, func(j map[string]any) { j["created_dirs"] = []string{filepath.Dir(victim)} })
		},
		"setuid new mode": func(t *testing.T, f fixture, tx *Tx) {
			editJournal(t, tx, func(j map[string]any) { entryOf(j, 0)["new_mode"] = 0o4755 })
		},
		"journal dir owned by nobody": func(t *testing.T, f fixture, tx *Tx) {
			must(t, os.Chown(filepath.Dir(tx.journalPath), nobodyUID, nobodyUID))
		},
		"journal dir writable by others": func(t *testing.T, f fixture, tx *Tx) {
			must(t, os.Chmod(filepath.Dir(tx.journalPath), 0o777))
		},
	} {
		t.Run(name, func(t *testing.T) {
			f, tx, after := interrupted(t)
			plant(t, f, tx)
			restored, err := Recover(f.state)
			var ue *UntrustedJournalError
			if err == nil || (!errors.As(err, &ue) && !strings.Contains(name, "journal dir")) {
				t.Fatalf("Recover accepted it: %q, %v", restored, err)
			}
			if len(restored) != 0 {
				t.Errorf("Recover acted on it: %q", restored)
			}
			assertTree(t, after, snapTree(t, f.nginx))
			if b, err := os.ReadFile(victim); err != nil || string(b) != "precious\n" {
				t.Fatalf("the victim file changed: %q, %v", b, err)
			}
		})
	}
}

func TestRecoverStillUndoesALegitimateRun(t *testing.T) {
	f := newFixture(t, t.TempDir())
	before := snapTree(t, f.nginx)
	tx, err := Begin(f.state, f.changes())
	must(t, err)
	must(t, tx.Commit())
	restored, err := Recover(f.state)
	must(t, err)
	if len(restored) == 0 {
		t.Fatal("nothing recovered")
	}
	assertTree(t, before, snapTree(t, f.nginx))
}

func TestRecoverKeepsEditsMadeSinceTheInterruptedRun(t *testing.T) {
	f, tx, _ := interrupted(t)
	edited := []byte("user www-data;\n# httpsify\n# the user's own line, added after the crash\n")
	must(t, os.WriteFile(f.p("nginx.conf"), edited, 0o644))
	newFile := []byte("# the user rewrote the file httpsify created\n")
	must(t, os.WriteFile(f.p("conf.d/new.conf"), newFile, 0o644))

	restored, err := Recover(f.state)
	must(t, err)
	for path, want := range map[string][]byte{f.p("nginx.conf"): edited, f.p("conf.d/new.conf"): newFile} {
		if got, _ := os.ReadFile(path); string(got) != string(want) {
			t.Errorf("%s was restored over the user's edit:\n%s", path, got)
		}
		if !containsText(restored, ": kept "+path+":") {
			t.Errorf("Recover did not say it kept %s: %q", path, restored)
		}
		copies, _ := filepath.Glob(filepath.Join(tx.BackupDir, path) + ".edited-*")
		if len(copies) != 1 {
			t.Fatalf("no copy of the edited %s in the backup dir: %v", path, copies)
		}
		if got, _ := os.ReadFile(copies[0]); string(got) != string(want) {
			t.Errorf("the copy of %s is %q", path, got)
		}
	}
	// What the user did not touch is still undone.
	if got, _ := os.ReadFile(f.p("conf.d/a.conf")); string(got) != "# a, original\n" {
		t.Errorf("an untouched file was not restored: %q", got)
	}
	if _, err := os.Lstat(f.p("extra/x.conf")); !os.IsNotExist(err) {
		t.Errorf("a file httpsify created and nobody edited was not removed: %v", err)
	}
}

func containsText(list []string, text string) bool {
	for _, s := range list {
		if strings.Contains(s, text) {
			return true
		}
	}
	return false
}
