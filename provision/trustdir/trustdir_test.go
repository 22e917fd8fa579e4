package trustdir

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

const nobody = 65534

// root returns a fresh directory that passes Check (t.TempDir is 0700 and
// ours; /tmp above it is root's and sticky).
func root(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	if err := Check(d); err != nil {
		t.Fatalf("a fresh temp dir is refused: %v", err)
	}
	return d
}

func requireRefused(t *testing.T, err error, path string) {
	t.Helper()
	var te *Error
	if !errors.As(err, &te) {
		t.Fatalf("want a trustdir.Error for %s, got %v", path, err)
	}
	if te.Path != path {
		t.Fatalf("refused %s, want %s (%v)", te.Path, path, err)
	}
}

func TestCheckRefusesAnotherUsersDirectory(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("this test plants files as nobody and needs root")
	}
	d := root(t)
	planted := filepath.Join(d, "planted")
	os.Mkdir(planted, 0o700)
	os.Chown(planted, nobody, nobody)
	requireRefused(t, Check(planted), planted)
	requireRefused(t, Check(filepath.Join(planted, "state")), planted)
	if _, err := EnsureDir(filepath.Join(planted, "state"), 0o700); err == nil {
		t.Fatal("EnsureDir created a directory inside nobody's")
	}
	if _, err := os.Lstat(filepath.Join(planted, "state")); !os.IsNotExist(err) {
		t.Fatal("something was created inside the refused directory")
	}
}

func TestCheckRefusesWritableByOthers(t *testing.T) {
	d := root(t)
	for _, mode := range []os.FileMode{0o777, 0o775, 0o757, 0o777 | os.ModeSticky} {
		w := filepath.Join(d, "w"+mode.String())
		os.Mkdir(w, 0o700)
		os.Chmod(w, mode)
		requireRefused(t, Check(w), w)
		if mode&os.ModeSticky == 0 {
			requireRefused(t, Check(filepath.Join(w, "below")), w)
		} else if err := Check(filepath.Join(w, "below")); err != nil {
			// A root-owned sticky parent is /tmp's case: accepted.
			if os.Geteuid() == 0 {
				t.Errorf("sticky root-owned parent refused: %v", err)
			}
		}
	}
}

func TestCheckRefusesSymlink(t *testing.T) {
	d := root(t)
	real := filepath.Join(d, "real")
	os.Mkdir(real, 0o700)
	link := filepath.Join(d, "link")
	os.Symlink(real, link)
	requireRefused(t, Check(link), link)
	// A link above the directory is followed when we own it...
	if err := Check(filepath.Join(link, "state")); err != nil {
		t.Errorf("own symlink above refused: %v", err)
	}
	// ...and refused when someone else does.
	if os.Geteuid() == 0 {
		os.Lchown(link, nobody, nobody)
		requireRefused(t, Check(filepath.Join(link, "state")), link)
	}
}

func TestEnsureDirModesUnderUmask(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	d := root(t)
	dir := filepath.Join(d, "a", "b", "webroot")
	created, err := EnsureDir(dir, 0o755)
	if err != nil || !created {
		t.Fatalf("EnsureDir: %v, created %v", err, created)
	}
	for _, p := range []string{filepath.Join(d, "a"), filepath.Join(d, "a", "b"), dir} {
		fi, _ := os.Stat(p)
		if fi.Mode().Perm() != 0o755 {
			t.Errorf("%s is %v, want 0755", p, fi.Mode().Perm())
		}
	}
	state := filepath.Join(d, "state")
	if _, err := EnsureDir(state, 0o700); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(state); fi.Mode().Perm() != 0o700 {
		t.Errorf("state dir is %v, want 0700", fi.Mode().Perm())
	}
	// An existing directory is never chmodded.
	os.Chmod(state, 0o750)
	if created, err := EnsureDir(state, 0o700); err != nil || created {
		t.Fatalf("EnsureDir existing: %v, %v", created, err)
	}
	if fi, _ := os.Stat(state); fi.Mode().Perm() != 0o750 {
		t.Errorf("existing state dir was chmodded to %v", fi.Mode().Perm())
	}
}
