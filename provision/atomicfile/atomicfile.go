// Package atomicfile is httpsify's one way to write a small file so that
// a crash leaves either the old content or the new, never a mix: the
// account, the journal, the staged-certificate note, a site's request,
// the PEM files of a certificate version.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// TempMarker is part of every temp name; tests and humans grep for it.
const TempMarker = ".httpsify-"

// TempPath names a temp file beside target. The leading dot keeps it out
// of glob(3) matches (nginx's include *.conf must never read it); the
// base is shortened so the name stays below NAME_MAX.
func TempPath(target string) string {
	base := filepath.Base(target)
	if len(base) > 200 {
		base = base[:200]
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return filepath.Join(filepath.Dir(target), "."+base+TempMarker+hex.EncodeToString(b))
}

// Write replaces path with data: a temp file beside it with exactly perm
// (whatever the umask), fsynced, renamed over path, then the directory
// fsynced so the rename survives a crash.
func Write(path string, data []byte, perm os.FileMode) error {
	tmp := TempPath(path)
	if err := WriteNew(tmp, data, perm); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// WriteNew creates path, which must not exist, with exactly perm and
// data, and fsyncs it. The file is never more open than perm while it is
// written. On error nothing is left behind.
func WriteNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm&0o600)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	err = errors.Join(werr, f.Chmod(perm), f.Sync(), f.Close())
	if err != nil {
		os.Remove(path)
	}
	return err
}

// SyncDir makes renames, creations and removals in dir durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}
