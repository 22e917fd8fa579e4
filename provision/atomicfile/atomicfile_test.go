package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Write replaces the file whole, with exactly the mode asked for whatever
// the umask, and leaves no temp file beside it.
func TestWriteReplacesWithExactMode(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	dir := t.TempDir()
	p := filepath.Join(dir, "request.json")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new" {
		t.Fatalf("content %q", b)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, want 0644", fi.Mode().Perm())
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), TempMarker) {
			t.Fatalf("temp file left: %s", e.Name())
		}
	}
}

// WriteNew refuses a path that exists (a planted file or link) and leaves
// it alone.
func TestWriteNewRefusesExisting(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "key.pem")
	os.Symlink("/etc/passwd", p)
	if err := WriteNew(p, []byte("secret"), 0o600); err == nil {
		t.Fatal("wrote through an existing link")
	}
	if target, _ := os.Readlink(p); target != "/etc/passwd" {
		t.Fatal("the existing link was touched")
	}
}
