package certstore

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Prune removes all but the newest keep versions, never the one liveDir
// points to, plus leftovers of interrupted Stage calls. Run it after the
// transaction that switched liveDir is Done: a version staged for a
// transaction still in flight is not current yet. Keep at least 2 so a
// manual rollback of the live link still has its target.
func Prune(archiveDir, liveDir string, keep int) error {
	if keep < 0 {
		return fmt.Errorf("certstore: keep must be >= 0, got %d", keep)
	}
	// If we cannot tell what is live, remove nothing.
	cur, err := Current(liveDir)
	if err != nil {
		return err
	}
	var curInfo os.FileInfo
	if cur != "" {
		if curInfo, err = os.Stat(cur); err != nil {
			return fmt.Errorf("certstore: live certificate %s: %w", cur, err)
		}
	}
	vs, err := versions(archiveDir)
	if err != nil {
		return fmt.Errorf("certstore: %w", err)
	}
	for i, v := range vs {
		p := filepath.Join(archiveDir, v)
		if i >= len(vs)-keep {
			continue
		}
		if fi, err := os.Stat(p); err != nil || (curInfo != nil && os.SameFile(fi, curInfo)) {
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("certstore: %w", err)
		}
	}
	ents, err := os.ReadDir(archiveDir)
	if err != nil {
		return fmt.Errorf("certstore: %w", err)
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), stagingPrefix) {
			if err := os.RemoveAll(filepath.Join(archiveDir, e.Name())); err != nil {
				return fmt.Errorf("certstore: %w", err)
			}
		}
	}
	return fsyncDir(archiveDir)
}
