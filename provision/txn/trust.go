package txn

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/statedir"
	"github.com/httpsify/httpsify/provision/trustdir"
)

// UntrustedJournalError is a journal Recover refuses to replay: a
// journal names files that root then overwrites, deletes and chmods, so
// only one httpsify itself could have written is acted on.
type UntrustedJournalError struct {
	Path string
	Why  string
}

func (e *UntrustedJournalError) Error() string {
	return i18n.T("txn: refusing journal %s: %s; httpsify did not write it as it is now, so nothing in it was acted on (check it, then move it out of %s)", e.Path, e.Why, filepath.Dir(e.Path))
}

// idPattern is what newID makes.
var idPattern = regexp.MustCompile(`^[0-9]{8}-[0-9]{6}\.[0-9]{9}-[0-9a-f]{8}$`)

// readTrustedJournal reads <stateDir>/txn/<id>.json only if root (or we)
// own it, nobody else can read or write it, it is no symlink, and every
// path in it is one Begin would have written.
func readTrustedJournal(stateDir, id string) (*journal, error) {
	path := journalPath(stateDir, id)
	refuse := func(why string) (*journal, error) {
		return nil, &UntrustedJournalError{Path: path, Why: why}
	}
	if !idPattern.MatchString(id) {
		return refuse(i18n.T("its name is not one httpsify gives journals"))
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		if isLoop(err) {
			return refuse(i18n.T("it is a symlink"))
		}
		return nil, fmt.Errorf("txn: recover: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("txn: recover: %w", err)
	}
	uid, _ := owner(fi)
	switch {
	case !fi.Mode().IsRegular():
		return refuse(i18n.T("it is not a regular file"))
	case uid != 0 && uid != os.Geteuid():
		return refuse(i18n.T("it is owned by uid %d, not root", uid))
	case fi.Mode().Perm()&0o077 != 0:
		return refuse(i18n.T("its mode is %v, not 0600", fi.Mode().Perm()))
	}
	data, err := io.ReadAll(io.LimitReader(f, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("txn: recover: %w", err)
	}
	var j journal
	if err := json.Unmarshal(data, &j); err != nil {
		return refuse(i18n.T("it is not a journal (%v)", err))
	}
	if why := j.untrustedPaths(stateDir, id); why != "" {
		return refuse(why)
	}
	return &j, nil
}

func isLoop(err error) bool {
	pe, ok := err.(*fs.PathError)
	return ok && pe.Err == syscall.ELOOP
}

// untrustedPaths returns why a journal's paths are not ones Begin could
// have recorded, or "". Backups live in this run's backup dir under the
// target's absolute path; temps lie beside their target, named by
// tempPath; directories Begin created are inside the state dir.
func (j *journal) untrustedPaths(stateDir, id string) string {
	if j.ID != id {
		return i18n.T("it names itself %q", j.ID)
	}
	if want := statedir.Layout(stateDir).Backup(id); j.BackupDir != want {
		return i18n.T("its backup dir %q is not %s", j.BackupDir, want)
	}
	for _, d := range j.CreatedDirs {
		if !cleanAbs(d) || !within(stateDir, d) || d == stateDir {
			return i18n.T("it claims to have created %q, outside the state dir", d)
		}
	}
	for _, e := range j.Entries {
		if !cleanAbs(e.Path) || e.Path == "/" {
			return i18n.T("target %q is not a clean absolute path", e.Path)
		}
		switch e.Op {
		case opWrite, opRemove, opSymlink:
		default:
			return i18n.T("target %s has unknown operation %q", e.Path, e.Op)
		}
		if e.BackupPath != "" && e.BackupPath != filepath.Join(j.BackupDir, e.Path) {
			return i18n.T("backup %q of %s is not in the run's backup dir", e.BackupPath, e.Path)
		}
		if e.Existed && !e.WasSymlink && e.BackupPath == "" {
			return i18n.T("%s has no backup", e.Path)
		}
		for _, tmp := range []string{e.TempPath, e.RestoreTemp} {
			if tmp != "" && !isTempOf(tmp, e.Path) {
				return i18n.T("temp file %q is not beside its target %s", tmp, e.Path)
			}
		}
		if e.OldMode&^keptModeBits != 0 || e.NewMode&^fs.ModePerm != 0 {
			return i18n.T("%s has modes httpsify does not record", e.Path)
		}
	}
	return ""
}

func cleanAbs(p string) bool { return filepath.IsAbs(p) && filepath.Clean(p) == p }

// isTempOf reports whether tmp is a name tempPath(target) could return.
func isTempOf(tmp, target string) bool {
	if filepath.Dir(tmp) != filepath.Dir(target) {
		return false
	}
	base := filepath.Base(target)
	if len(base) > 200 {
		base = base[:200]
	}
	rest, ok := strings.CutPrefix(filepath.Base(tmp), "."+base+tempMarker)
	return ok && len(rest) == 12 && strings.Trim(rest, "0123456789abcdef") == ""
}

// checkJournalDir refuses a txn dir another user could write.
func checkJournalDir(dir string) error {
	if err := trustdir.Check(dir); err != nil {
		return fmt.Errorf("txn: recover: %w", err)
	}
	return nil
}
