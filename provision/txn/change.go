package txn

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/httpsify/httpsify/provision/statedir"
)

// Change is one target of a transaction. Path is replaced as it is: a
// symlink at Path is replaced, not followed, so pass the resolved path to
// edit the file a symlink points to.
type Change struct {
	Path    string      // absolute, clean target path
	Content []byte      // new content (ignored when Remove or Symlink is set)
	Mode    os.FileMode // permission bits; 0 keeps the old file's, or 0644 for a new file
	Remove  bool        // remove Path (file or symlink); a missing Path is a no-op
	Symlink string      // make Path a symlink to this target
}

// Backup says where the pre-transaction state of one target is kept.
type Backup struct {
	Path       string // target
	BackupPath string // copy of the file, or a symlink with the old target; "" if !Existed
	Existed    bool
	WasSymlink bool
}

func (c Change) op() op {
	switch {
	case c.Remove:
		return opRemove
	case c.Symlink != "":
		return opSymlink
	default:
		return opWrite
	}
}

// validate checks the changes before anything touches the disk.
func validate(stateDir string, changes []Change) error {
	if len(changes) == 0 {
		return errors.New("txn: no changes")
	}
	private := []string{journalDir(stateDir), statedir.Layout(stateDir).Backups()}
	seen := make(map[string]bool, len(changes))
	for _, c := range changes {
		p := c.Path
		switch {
		case !filepath.IsAbs(p):
			return fmt.Errorf("txn: path %q is not absolute", p)
		case filepath.Clean(p) != p:
			return fmt.Errorf("txn: path %q is not clean (want %q)", p, filepath.Clean(p))
		case p == "/":
			return errors.New("txn: cannot change /")
		case seen[p]:
			return fmt.Errorf("txn: path %s appears twice", p)
		case c.Remove && c.Symlink != "":
			return fmt.Errorf("txn: %s: Remove and Symlink are exclusive", p)
		case c.Mode&^os.ModePerm != 0:
			return fmt.Errorf("txn: %s: mode %v has non-permission bits", p, c.Mode)
		}
		for _, d := range private {
			if within(d, p) {
				return fmt.Errorf("txn: %s is inside httpsify's own %s", p, d)
			}
		}
		seen[p] = true
	}
	return nil
}

// within reports whether p is dir or below it (both clean).
func within(dir, p string) bool {
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))
}
