package txn

import (
	"errors"
	"os"
	"testing"
)

// Original puts a file back as it was before the first of several
// finished transactions, and refuses when someone edited it between two
// of them or after the last.
func TestOriginalAcrossTransactions(t *testing.T) {
	f := newFixture(t, t.TempDir())
	site := f.p("sites-available/site")
	orig, err := os.ReadFile(site)
	must(t, err)
	a := commitDone(t, f.state, []Change{{Path: site, Content: []byte("server { listen 443 ssl; } # 1\n")}})
	newConf := f.p("conf.d/new.conf")
	b := commitDone(t, f.state, []Change{{Path: site, Content: []byte("server { listen 443 ssl; } # 2\n")}, {Path: newConf, Content: []byte("# new\n")}})

	h, err := History(f.state)
	must(t, err)
	if len(h) != 2 || h[0].ID != a.ID || h[1].ID != b.ID || len(h[1].Paths) != 2 {
		t.Fatalf("History = %+v", h)
	}
	u, err := Original(f.state, site, []string{a.ID, b.ID})
	must(t, err)
	if string(u.Content) != string(orig) || !u.Existed || u.Remove {
		t.Errorf("Original = %+v, want the content before the first change", u)
	}
	if u, err := Original(f.state, newConf, []string{b.ID}); err != nil || !u.Remove {
		t.Errorf("Original of a file httpsify made = %+v, %v; want it removed", u, err)
	}

	// Edited after the last change.
	must(t, os.WriteFile(site, []byte("mine\n"), 0o644))
	var since *EditedSinceError
	if _, err := Original(f.state, site, []string{a.ID, b.ID}); !errors.As(err, &since) {
		t.Errorf("Original of an edited file = %v, want EditedSinceError", err)
	}
	// Edited between two changes: the second started from the edit.
	c := commitDone(t, f.state, []Change{{Path: site, Content: []byte("server { listen 443 ssl; } # 3, mine kept\n")}})
	var between *EditedBetweenError
	if _, err := Original(f.state, site, []string{a.ID, b.ID, c.ID}); !errors.As(err, &between) || between.After != b.ID {
		t.Errorf("Original across an edit = %v, want EditedBetweenError after %s", err, b.ID)
	}
}

// After a change that put the file back as it was (a restoring removal),
// an edit and a new change start a new history: its original is the
// edited file, not the one from before the first change.
func TestOriginalStartsAgainAfterARestore(t *testing.T) {
	f := newFixture(t, t.TempDir())
	site := f.p("sites-available/site")
	orig, err := os.ReadFile(site)
	must(t, err)
	a := commitDone(t, f.state, []Change{{Path: site, Content: []byte("https 1\n")}})
	u, err := Original(f.state, site, []string{a.ID})
	must(t, err)
	back := commitDone(t, f.state, []Change{u.Change})
	if got, _ := os.ReadFile(site); string(got) != string(orig) {
		t.Fatalf("restore left %q", got)
	}
	must(t, os.WriteFile(site, []byte("mine, after the removal\n"), 0o644))
	c := commitDone(t, f.state, []Change{{Path: site, Content: []byte("https 2\n")}})
	u, err = Original(f.state, site, []string{a.ID, back.ID, c.ID})
	must(t, err)
	if string(u.Content) != "mine, after the removal\n" {
		t.Errorf("Original = %q, want the file as it was before the second history", u.Content)
	}
}
