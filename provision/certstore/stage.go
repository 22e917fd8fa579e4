package certstore

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/httpsify/httpsify/provision/atomicfile"
)

// versionRE matches version directory names: UTC second + counter, so
// lexical order is install order.
var versionRE = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z-[0-9]{4}$`)

const stagingPrefix = ".staging-"

// Stage validates b and writes it as a new complete version directory in
// archiveDir (created 0700 if missing). It returns the version's absolute
// path; nothing points to it yet.
func Stage(archiveDir string, b Bundle) (string, error) {
	if err := b.validate(); err != nil {
		return "", err
	}
	archiveDir, err := filepath.Abs(archiveDir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(archiveDir, 0o700); err != nil {
		return "", fmt.Errorf("certstore: %w", err)
	}
	tmp, err := os.MkdirTemp(archiveDir, stagingPrefix) // 0700
	if err != nil {
		return "", fmt.Errorf("certstore: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	files := []struct {
		name string
		data []byte
		mode os.FileMode
	}{
		{"cert.pem", b.Cert, 0o644},
		{"chain.pem", b.Chain, 0o644},
		{"fullchain.pem", b.Fullchain, 0o644},
		{"privkey.pem", b.Key, 0o600},
	}
	for _, f := range files {
		if err := writeSynced(filepath.Join(tmp, f.name), f.data, f.mode); err != nil {
			return "", fmt.Errorf("certstore: %w", err)
		}
	}
	if err := fsyncDir(tmp); err != nil {
		return "", fmt.Errorf("certstore: %w", err)
	}
	// Rename the complete directory into place; retry if a name is taken.
	var lastErr error
	for attempt := 0; attempt < 10; attempt++ {
		dst := filepath.Join(archiveDir, nextVersion(archiveDir))
		if _, err := os.Lstat(dst); err == nil {
			continue
		}
		if lastErr = os.Rename(tmp, dst); lastErr != nil {
			continue
		}
		ok = true
		if err := fsyncDir(archiveDir); err != nil {
			return "", fmt.Errorf("certstore: %w", err)
		}
		return dst, nil
	}
	return "", fmt.Errorf("certstore: could not name a new version in %s: %v", archiveDir, lastErr)
}

// nextVersion names the next version: now, but never sorting before the
// newest existing version even if the clock went backwards.
func nextVersion(archiveDir string) string {
	stamp := time.Now().UTC().Format("20060102T150405Z")
	counter := 1
	if vs, _ := versions(archiveDir); len(vs) > 0 {
		newest := vs[len(vs)-1]
		nStamp, nCounter := newest[:16], newest[17:]
		if nStamp >= stamp {
			n, _ := strconv.Atoi(nCounter)
			stamp, counter = nStamp, n+1
		}
	}
	return fmt.Sprintf("%s-%04d", stamp, counter)
}

// versions lists version directory names in archiveDir, oldest first.
func versions(archiveDir string) ([]string, error) {
	ents, err := os.ReadDir(archiveDir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() && versionRE.MatchString(e.Name()) {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

// writeSynced creates path with exactly mode (umask ignored) and fsyncs it.
func writeSynced(path string, data []byte, mode os.FileMode) error {
	return atomicfile.WriteNew(path, data, mode)
}

// fsyncDir makes the directory's entries durable.
func fsyncDir(dir string) error { return atomicfile.SyncDir(dir) }
