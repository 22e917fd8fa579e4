package main

import (
	"os"
	"path/filepath"
	"testing"
)

// remove refuses bad input and a site it does not manage with exit 2,
// creating nothing.
func TestRemoveBadInputExits2(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"remove", "--state-dir", dir, "--yes"},
		{"remove", "--state-dir", dir, "--domain", "not a name", "--yes"},
		{"remove", "--state-dir", dir, "--domain", "unknown.example", "--dry-run"},
		{"remove", "--state-dir", dir, "--domain", "unknown.example", "--schedule-root", "relative", "--yes"},
	} {
		code := 0
		root := newRootCmd(&code)
		root.SetArgs(args)
		if err := root.Execute(); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if code != 2 {
			t.Errorf("%q exited %d, want 2", args, code)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("remove created %v", ents)
	}
}
