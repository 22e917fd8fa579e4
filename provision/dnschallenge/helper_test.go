package dnschallenge

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/httpsify/httpsify/provision/trustdir"
)

// installHelper copies the real helper to path with mode.
func installHelper(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(helperBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func TestFindHelperBesideThenPackaged(t *testing.T) {
	root := t.TempDir()
	exe := filepath.Join(root, "bin", "httpsify")
	packaged := filepath.Join(root, "lib", "httpsify", HelperName)
	installHelper(t, packaged, 0o755)
	if got, err := FindHelperFor(exe); err != nil || got != packaged {
		t.Errorf("FindHelperFor = %q, %v; want the packaged %s", got, err, packaged)
	}
	beside := filepath.Join(root, "bin", HelperName)
	installHelper(t, beside, 0o755)
	if got, err := FindHelperFor(exe); err != nil || got != beside {
		t.Errorf("FindHelperFor = %q, %v; want the one beside httpsify, %s", got, err, beside)
	}
}

func TestFindHelperMissing(t *testing.T) {
	root := t.TempDir()
	_, err := FindHelperFor(filepath.Join(root, "bin", "httpsify"))
	var me *HelperMissingError
	want := []string{filepath.Join(root, "bin", HelperName), filepath.Join(root, "lib", "httpsify", HelperName)}
	if !errors.As(err, &me) || !slices.Equal(me.Looked, want) {
		t.Errorf("%#v, want HelperMissingError looking at %q", err, want)
	}
}

// A helper someone other than root could have written is refused, not
// skipped for the next candidate: beside httpsify group-writable, or in a
// directory others can write.
func TestFindHelperRefusesWritableByOthers(t *testing.T) {
	root := t.TempDir()
	exe := filepath.Join(root, "bin", "httpsify")
	installHelper(t, filepath.Join(root, "lib", "httpsify", HelperName), 0o755) // a good one behind it
	installHelper(t, filepath.Join(root, "bin", HelperName), 0o775)
	var te *trustdir.Error
	if _, err := FindHelperFor(exe); !errors.As(err, &te) {
		t.Errorf("group-writable helper: %#v, want a trustdir.Error", err)
	}
	os.Chmod(filepath.Join(root, "bin", HelperName), 0o755)
	os.Chmod(filepath.Join(root, "bin"), 0o777)
	if _, err := FindHelperFor(exe); !errors.As(err, &te) {
		t.Errorf("helper in a world-writable directory: %#v, want a trustdir.Error", err)
	}
	os.Chmod(filepath.Join(root, "bin"), 0o755)
	if _, err := FindHelperFor(exe); err != nil {
		t.Errorf("once fixed: %v", err)
	}
}
