package provision

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Under umask 077 the challenge tree is still readable by nginx's
// workers, and a token cannot name a path outside it.
func TestChallengeFilesUnderUmask077(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	webroot := filepath.Join(t.TempDir(), "var", "acme-challenge")
	if err := prepareWebroot(webroot); err != nil {
		t.Fatal(err)
	}
	p := webrootProvider{dir: webroot}
	if err := p.Present("www.example.test", "tok_EN-123", "tok_EN-123.thumb"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(webroot, ".well-known", "acme-challenge", "tok_EN-123")
	for path, want := range map[string]os.FileMode{
		filepath.Dir(webroot): 0o755, webroot: 0o755,
		filepath.Join(webroot, ".well-known"): 0o755, filepath.Dir(file): 0o755, file: 0o644,
	} {
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: %v (%v), want %v", path, fi.Mode().Perm(), err, want)
		}
	}
	if err := p.CleanUp("www.example.test", "tok_EN-123", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(file); !os.IsNotExist(err) {
		t.Error("the challenge file was not removed")
	}
	for _, bad := range []string{"../../etc/x", "a/b", "", "."} {
		if err := p.Present("www.example.test", bad, "x"); err == nil {
			t.Errorf("token %q accepted", bad)
		}
	}
}

// An existing webroot that an old umask left 0700 is fixed (it is root's),
// while one another user could write is refused.
func TestPrepareWebrootExisting(t *testing.T) {
	base := t.TempDir()
	tight := filepath.Join(base, "tight")
	os.Mkdir(tight, 0o700)
	if err := prepareWebroot(tight); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(tight); fi.Mode().Perm() != 0o755 {
		t.Errorf("webroot left at %v", fi.Mode().Perm())
	}
	open := filepath.Join(base, "open")
	os.Mkdir(open, 0o777)
	os.Chmod(open, 0o777)
	if err := prepareWebroot(open); err == nil {
		t.Error("a webroot others can write was accepted")
	}
}
