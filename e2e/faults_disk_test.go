package e2e

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// smallFS mounts a tmpfs of size bytes with extra mount options (tests
// run as root) and unmounts it when the test ends.
func smallFS(t *testing.T, size int, opts ...string) string {
	t.Helper()
	parent := t.TempDir()
	dir := filepath.Join(parent, "small")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// nginx workers (user nobody) must reach the challenge webroot in it.
	for _, d := range []string{parent, filepath.Dir(parent)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", strings.Join(append([]string{fmt.Sprintf("size=%d,mode=0755", size)}, opts...), ","), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Fatalf("mount tmpfs (the e2e tests run as root): %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			syscall.Unmount(dir, syscall.MNT_DETACH)
		}
	})
	return dir
}

// fill writes a file into dir until the file system is full, then frees
// leave bytes again.
func fill(t *testing.T, dir string, leave int64) string {
	t.Helper()
	name := filepath.Join(dir, "filler")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	var n int64
	for {
		w, err := f.Write(chunk)
		n += int64(w)
		if errors.Is(err, syscall.ENOSPC) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Truncate(max(0, n-leave)); err != nil {
		t.Fatal(err)
	}
	return name
}

// The state directory (accounts, journal, backups, certificates) on a
// full disk, at several fill levels so the run stops at different steps:
// the run fails saying the disk is full, the nginx files are byte for byte
// as before, the old site serves, and once space is freed a plain rerun
// finishes: nothing a failed run left behind gets in the way.
func TestApplyStateDirFull(t *testing.T) {
	sb := newSandbox(t)
	roots, err := sb.IssuerRoots()
	if err != nil {
		t.Fatal(err)
	}
	for _, leave := range []int64{0, 8 << 10, 16 << 10, 32 << 10} {
		t.Run(fmt.Sprintf("%dk free", leave>>10), func(t *testing.T) {
			state := filepath.Join(smallFS(t, 256<<10), "state")
			args := with(sb.ApplyArgs(), "--state-dir", state)
			if err := os.Mkdir(state, 0o755); err != nil {
				t.Fatal(err)
			}
			filler := fill(t, state, leave)
			before := snapshot(t, sb)

			// A whole run needs more: every file takes at least a 4k page.
			out, code := run(t, append([]string{"apply"}, args...)...)
			if code != 1 || !strings.Contains(out, "no space left on device") {
				t.Fatalf("exit %d, want 1 and a message that the disk is full:\n%s", code, out)
			}
			t.Logf("exit %d: %s", code, lastLineOf(out))
			requireSameFiles(t, before, snapshot(t, sb))
			requireNginxTest(t, sb)
			requireOldSiteServes(t, sb)
			if _, err := os.Lstat(filepath.Join(state, "live", sb.Domain)); err == nil {
				t.Error("a certificate was linked in")
			}

			os.Remove(filler)
			out, code = run(t, append([]string{"apply"}, args...)...)
			if code != 0 {
				t.Fatalf("rerun after freeing space exited %d:\n%s", code, out)
			}
			if s, why := classify(sb, roots, 5*time.Second); s != servedNew {
				t.Fatalf("after the rerun the site is %s: %s", s, why)
			}
			resetSite(t, sb, before)
		})
	}
}

// The certificate directory's file system is full. Only a link to the
// version in the state directory goes there, which needs an inode but no
// data block, so the file system is filled up to its last inode: the run
// fails saying the disk is full and changes nothing.
func TestApplyCertDirFull(t *testing.T) {
	sb := newSandbox(t)
	certParent := smallFS(t, 64<<10, "nr_inodes=32")
	for i := 0; ; i++ {
		f, err := os.Create(filepath.Join(certParent, fmt.Sprintf("inode-%d", i)))
		if errors.Is(err, syscall.ENOSPC) {
			break
		}
		if err != nil || i > 1000 {
			t.Fatalf("filling the inodes: %v", err)
		}
		f.Close()
	}
	before := snapshot(t, sb)
	args := with(sb.ApplyArgs(), "--cert-dir", filepath.Join(certParent, sb.Domain))

	out, code := run(t, append([]string{"apply"}, args...)...)
	if code != 1 || !strings.Contains(out, "no space left on device") {
		t.Fatalf("exit %d, want 1 and a message that the disk is full:\n%s", code, out)
	}
	t.Logf("exit %d: %s", code, lastLineOf(out))
	requireSameFiles(t, before, snapshot(t, sb))
	requireNginxTest(t, sb)
	requireOldSiteServes(t, sb)
	if _, err := os.Lstat(filepath.Join(certParent, sb.Domain)); err == nil {
		t.Error("a certificate was linked in")
	}
}

// lastLineOf is the final non-empty line: httpsify's error message.
func lastLineOf(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[len(lines)-1]
}
