// Package trustdir decides whether a directory is httpsify's to trust.
// httpsify runs as root and keeps journals, keys and challenge files in
// directories; if another user could create, replace or write one of them
// (or any directory above it), that user could make root restore, delete
// or serve what they chose. Like sshd's StrictModes, a directory is
// trusted only when root (or the user httpsify runs as) owns it and
// neither group nor others can write it, all the way up from /.
package trustdir

import (
	"errors"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Error is a directory httpsify refuses, with what it saw.
type Error struct {
	Path string
	UID  int         // owner, -1 when not applicable
	Mode fs.FileMode // as found by lstat
	Why  string
}

func (e *Error) Error() string {
	who := ""
	if e.UID >= 0 {
		who = i18n.T(" (owner %s, mode %s)", ownerName(e.UID), e.Mode)
	}
	return i18n.T("%s%s %s: httpsify runs as root and trusts only directories that root alone can change", e.Path, who, i18n.Tr(e.Why))
}

func ownerName(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		return u.Username + " uid " + strconv.Itoa(uid)
	}
	return "uid " + strconv.Itoa(uid)
}

// maxLinks bounds how many symlinks above a directory are followed.
const maxLinks = 16

// Check verifies dir and every directory above it. A part that does not
// exist yet ends the walk (EnsureDir creates it). dir itself must not be
// a symlink; a symlink above it is followed only when root owns it.
func Check(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	_, _, err = walk(abs, true, 0)
	return err
}

// walk checks path from / down; strictLast: path itself must not be a
// symlink nor sticky-and-writable. It returns the resolved path of the
// part that exists, and whether all of it does.
func walk(path string, strictLast bool, links int) (cur string, whole bool, err error) {
	cur = "/"
	if err := checkDir(cur, mustLstat(cur), false); err != nil {
		return "", false, err
	}
	parts := strings.Split(strings.TrimPrefix(filepath.Clean(path), "/"), "/")
	if parts[0] == "" {
		return cur, true, nil
	}
	for i, name := range parts {
		last := i == len(parts)-1
		next := filepath.Join(cur, name)
		fi, err := os.Lstat(next)
		if errors.Is(err, fs.ErrNotExist) {
			return cur, false, nil
		}
		if err != nil {
			return "", false, err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if last && strictLast {
				return "", false, &Error{Path: next, UID: uidOf(fi), Mode: fi.Mode(), Why: i18n.N("is a symlink")}
			}
			if !trustedOwner(uidOf(fi)) {
				return "", false, &Error{Path: next, UID: uidOf(fi), Mode: fi.Mode(), Why: i18n.N("is a symlink another user owns")}
			}
			if links++; links > maxLinks {
				return "", false, &Error{Path: next, UID: -1, Why: i18n.N("has too many levels of symlinks")}
			}
			target, err := os.Readlink(next)
			if err != nil {
				return "", false, err
			}
			if !filepath.IsAbs(target) {
				target = filepath.Join(cur, target)
			}
			var whole bool
			if cur, whole, err = walk(target, false, links); err != nil || !whole {
				return cur, false, err // a dangling link ends the walk too
			}
			continue
		}
		if err := checkDir(next, fi, last && strictLast); err != nil {
			return "", false, err
		}
		cur = next
	}
	return cur, true, nil
}

// checkDir: a directory that root (or we) own and only the owner can
// write. A parent that others may write is accepted only with the sticky
// bit and a root owner, as /tmp is: others can add names there but not
// replace or remove ours.
func checkDir(path string, fi fs.FileInfo, strict bool) error {
	if fi == nil {
		return &Error{Path: path, UID: -1, Why: i18n.N("cannot be read")}
	}
	uid := uidOf(fi)
	switch {
	case !fi.IsDir():
		return &Error{Path: path, UID: uid, Mode: fi.Mode(), Why: i18n.N("is not a directory")}
	case !trustedOwner(uid):
		return &Error{Path: path, UID: uid, Mode: fi.Mode(), Why: i18n.N("is owned by another user")}
	case fi.Mode().Perm()&0o022 == 0:
		return nil
	case !strict && fi.Mode()&fs.ModeSticky != 0 && uid == 0:
		return nil
	}
	return &Error{Path: path, UID: uid, Mode: fi.Mode(), Why: i18n.N("can be written by group or others")}
}

func mustLstat(p string) fs.FileInfo {
	fi, err := os.Lstat(p)
	if err != nil {
		return nil
	}
	return fi
}

// trustedOwner: root, or the user httpsify runs as (tests run unprivileged
// parts as themselves).
func trustedOwner(uid int) bool { return uid == 0 || uid == os.Geteuid() }

func uidOf(fi fs.FileInfo) int {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid)
	}
	return -1
}

// EnsureDir checks dir as Check does and creates what is missing: dir
// itself with exactly perm, missing parents 0755, whatever the umask. An
// existing dir keeps its mode: httpsify never chmods a directory it did
// not just create. It reports whether dir was created.
func EnsureDir(dir string, perm fs.FileMode) (created bool, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false, err
	}
	if err := Check(abs); err != nil {
		return false, err
	}
	var missing []string
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || d == "/" {
			break
		}
		missing = append([]string{d}, missing...)
	}
	for _, d := range missing {
		mode := fs.FileMode(0o755)
		if d == abs {
			mode = perm
		}
		if err := os.Mkdir(d, mode); err != nil {
			return false, err
		}
		// The parent is root's alone, so nobody can have swapped d since.
		if err := os.Chmod(d, mode); err != nil {
			return false, err
		}
	}
	// Check again: a parent reached through a root-owned symlink is
	// resolved only now that it exists.
	return len(missing) > 0, Check(abs)
}

// CheckAbove checks every directory above path, not path itself: for a
// name httpsify will create or replace there (a certificate link), what
// matters is that nobody else can swap the directories holding it.
func CheckAbove(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	_, _, err = walk(filepath.Dir(abs), false, 0)
	return err
}
