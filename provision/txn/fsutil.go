package txn

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"

	"github.com/httpsify/httpsify/provision/atomicfile"
	"golang.org/x/sys/unix"
)

// tempMarker is part of every temp name; tests and humans grep for it.
const tempMarker = atomicfile.TempMarker

// tempPath names a temp file beside target (see atomicfile.TempPath).
func tempPath(target string) string { return atomicfile.TempPath(target) }

// fsyncDir makes renames, creations and removals in dir durable.
func fsyncDir(dir string) error { return atomicfile.SyncDir(dir) }

// writeNew creates path exclusively with exactly perm (umask ignored),
// copies r into it, optionally chowns it and fsyncs it. It returns the
// SHA-256 of what was written. On error the partial file is removed.
func writeNew(path string, r io.Reader, perm fs.FileMode, uid, gid int) (sum string, err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	h := sha256.New()
	if _, err = io.Copy(io.MultiWriter(f, h), r); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err = chownIfNeeded(f, uid, gid); err != nil {
		return "", err
	}
	// Chmod after chown: chown clears setuid/setgid bits.
	if err = f.Chmod(perm); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", fmt.Errorf("fsync %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// chownIfNeeded chowns f to uid/gid unless it already has them (uid < 0
// means "leave the owner alone"), so unprivileged runs work when no owner
// change is needed.
func chownIfNeeded(f *os.File, uid, gid int) error {
	if uid < 0 {
		return nil
	}
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if o, g := owner(fi); o == uid && g == gid {
		return nil
	}
	if err := f.Chown(uid, gid); err != nil {
		return fmt.Errorf("chown %s to %d:%d: %w", f.Name(), uid, gid, err)
	}
	return nil
}

// lchownIfNeeded is chownIfNeeded for a symlink itself.
func lchownIfNeeded(path string, uid, gid int) error {
	if uid < 0 {
		return nil
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if o, g := owner(fi); o == uid && g == gid {
		return nil
	}
	if err := os.Lchown(path, uid, gid); err != nil {
		return fmt.Errorf("chown %s to %d:%d: %w", path, uid, gid, err)
	}
	return nil
}

// owner returns the uid and gid of fi.
func owner(fi fs.FileInfo) (uid, gid int) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid), int(st.Gid)
	}
	return -1, -1
}

// hashFile returns the SHA-256 of the file at path.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// unlinkNonDir removes path unless it is a directory: unlike os.Remove it
// never falls back to rmdir, so it cannot delete a directory that someone
// else put where a file of ours used to be. A missing path is not an error.
func unlinkNonDir(path string) error {
	err := unix.Unlink(path)
	if err == nil || notExist(err) {
		return nil
	}
	return &fs.PathError{Op: "unlink", Path: path, Err: err}
}

// removeIfExists removes a file or symlink, ignoring "does not exist".
func removeIfExists(path string) error {
	if path == "" {
		return nil
	}
	return unlinkNonDir(path)
}

// rmdir removes dir only if it is empty.
func rmdir(dir string) error { return unix.Rmdir(dir) }

// notExist reports whether err means the path is not there, including
// ENOTDIR (a parent was replaced by a file).
func notExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, unix.ENOTDIR)
}

// randHex returns n random bytes as hex.
func randHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return hex.EncodeToString(b)
}
