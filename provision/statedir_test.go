package provision

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/httpsify/httpsify/provision/trustdir"
)

// Open refuses a state dir someone else could write, naming the flag, and
// creates a missing one 0700.
func TestOpenStateDir(t *testing.T) {
	base := t.TempDir()
	s := &Settings{Host: Host{StateDir: filepath.Join(base, "open")}}
	os.Mkdir(s.StateDir, 0o777)
	os.Chmod(s.StateDir, 0o777)
	_, err := Open(context.Background(), &fakeServer{}, &s.Host, nil, 0)
	var fe *FieldError
	var te *trustdir.Error
	if !errors.As(err, &fe) || fe.Field != FlagStateDir || !errors.As(err, &te) {
		t.Fatalf("Open = %v, want a --state-dir refusal", err)
	}
	if _, err := os.Lstat(filepath.Join(s.StateDir, "lock")); !os.IsNotExist(err) {
		t.Error("the refused state dir got a lock file")
	}

	s.StateDir = filepath.Join(base, "new", "state")
	sess, err := Open(context.Background(), &fakeServer{}, &s.Host, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	sess.Close()
	if fi, _ := os.Lstat(s.StateDir); fi.Mode().Perm() != 0o700 {
		t.Errorf("new state dir is %v, want 0700", fi.Mode().Perm())
	}
}
