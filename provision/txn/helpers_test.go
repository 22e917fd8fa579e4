package txn

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture is a fake server tree: <root>/etc/nginx/... and <root>/state.
type fixture struct {
	root, state, nginx string
}

func (f fixture) p(rel string) string { return filepath.Join(f.nginx, rel) }

// fixtureOwner is the owner given to conf.d/a.conf when running as root, so
// owner restoration is actually exercised.
const fixtureOwner = 33

// newFixture builds the original tree. It is also used by the crash child,
// so it only depends on root.
func newFixture(tb testing.TB, root string) fixture {
	f := fixture{root: root, state: filepath.Join(root, "state"), nginx: filepath.Join(root, "etc", "nginx")}
	for _, d := range []string{"conf.d", "sites-available", "sites-enabled", "extra"} {
		must(tb, os.MkdirAll(f.p(d), 0o755))
	}
	write := func(rel, data string, mode fs.FileMode) {
		must(tb, os.WriteFile(f.p(rel), []byte(data), mode))
		must(tb, os.Chmod(f.p(rel), mode))
	}
	write("nginx.conf", "user www-data;\ninclude conf.d/*.conf;\ninclude sites-enabled/*;\n", 0o644)
	write("conf.d/a.conf", "# a, original\n", 0o640)
	write("conf.d/secret.conf", "# secret, original\n", 0o600)
	write("sites-available/site", "server { listen 80; }\n", 0o644)
	write("sites-available/site2", "server { listen 443 ssl; }\n", 0o644)
	write("sites-available/old", "server { listen 8080; }\n", 0o644)
	must(tb, os.Symlink("../sites-available/site", f.p("sites-enabled/site")))
	must(tb, os.Symlink("../sites-available/old", f.p("sites-enabled/old")))
	if os.Geteuid() == 0 {
		must(tb, os.Chown(f.p("conf.d/a.conf"), fixtureOwner, fixtureOwner))
	}
	return f
}

// changes touches every kind of target: rewrite (same mode, new mode,
// 0600), create, re-point a symlink, remove a symlink, create a symlink.
func (f fixture) changes() []Change {
	return []Change{
		{Path: f.p("nginx.conf"), Content: []byte("user www-data;\n# httpsify\n")},
		{Path: f.p("conf.d/a.conf"), Content: []byte("# a, new\n"), Mode: 0o644},
		{Path: f.p("conf.d/secret.conf"), Content: []byte("# secret, new\n"), Mode: 0o600},
		{Path: f.p("conf.d/new.conf"), Content: []byte("# new\n"), Mode: 0o644},
		{Path: f.p("sites-enabled/site"), Symlink: "../sites-available/site2"},
		{Path: f.p("sites-enabled/old"), Remove: true},
		{Path: f.p("sites-enabled/newlink"), Symlink: "../sites-available/site"},
		{Path: f.p("extra/x.conf"), Content: []byte("# extra\n")},
	}
}

// fileState is everything about a path that a rollback must restore.
type fileState struct {
	Exists   bool
	Type     fs.FileMode
	Mode     fs.FileMode
	UID, GID int
	Link     string
	Data     string
}

func snap(tb testing.TB, path string) fileState {
	tb.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		if !os.IsNotExist(err) {
			tb.Fatal(err)
		}
		return fileState{}
	}
	s := fileState{Exists: true, Type: fi.Mode().Type()}
	s.UID, s.GID = owner(fi)
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		s.Link, err = os.Readlink(path)
	case fi.Mode().IsRegular():
		s.Mode = fi.Mode() & keptModeBits
		var b []byte
		b, err = os.ReadFile(path)
		s.Data = string(b)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// snapTree records every non-directory under dir.
func snapTree(tb testing.TB, dir string) map[string]fileState {
	tb.Helper()
	out := map[string]fileState{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			out[p] = snap(tb, p)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// assertTree fails on any difference between two snapTree results.
func assertTree(tb testing.TB, want, got map[string]fileState) {
	tb.Helper()
	for p, w := range want {
		if g := got[p]; g != w {
			tb.Errorf("%s:\n got  %+v\n want %+v", p, g, w)
		}
	}
	for p, g := range got {
		if _, ok := want[p]; !ok {
			tb.Errorf("unexpected %s: %+v", p, g)
		}
	}
}

// tempsUnder lists httpsify temp files left under dir.
func tempsUnder(tb testing.TB, dir string) []string {
	tb.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), tempMarker) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func journalState(tb testing.TB, stateDir, id string) State {
	tb.Helper()
	j, err := readTrustedJournal(stateDir, id)
	if err != nil {
		tb.Fatal(err)
	}
	return j.State
}
