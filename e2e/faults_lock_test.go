package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/faultproxy"
)

// Two runs at once on one server. The first is held by the CA (a gate in
// the proxy holds its finalize request) while it owns the lock; a second
// run refuses at once, naming the first one's PID, and changes nothing; a
// third with --wait waits for the first to finish and then succeeds.
func TestApplySecondRunWaitsOrRefuses(t *testing.T) {
	sb := newSandbox(t)
	proxy, args := startProxy(t, sb, faultproxy.Rule{Path: faultproxy.PathFinalize, Kind: faultproxy.Gate})
	apply := append([]string{"apply"}, args...)

	first := startRun(t, apply...)
	select {
	case <-proxy.Held():
	case <-first.done:
		t.Fatalf("the first run ended before reaching the CA's finalize:\n%s", first.out.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("the first run never reached finalize:\n%s", first.out.String())
	}
	lockFile, _ := os.ReadFile(filepath.Join(sb.StateDir, "lock"))
	if strings.TrimSpace(string(lockFile)) != fmt.Sprint(first.cmd.Process.Pid) {
		t.Fatalf("the lock file names %q, not the first run (PID %d)", lockFile, first.cmd.Process.Pid)
	}
	during := snapshot(t, sb) // the first run's temporary challenge edit is in

	out, code := run(t, apply...)
	if code != 1 {
		t.Fatalf("second run exited %d, want 1:\n%s", code, out)
	}
	for _, want := range []string{"another httpsify run is in progress", fmt.Sprintf("PID %d", first.cmd.Process.Pid)} {
		if !strings.Contains(out, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, out)
		}
	}
	requireSameFiles(t, during, snapshot(t, sb))

	third := startRun(t, append(apply, "--wait", "2m")...)
	// Let the first run go only once the third is queued on the lock.
	waitOpens(t, third, filepath.Join(sb.StateDir, "lock"))
	proxy.Release()
	out, code = first.wait(t, 60*time.Second)
	if code != 0 {
		t.Fatalf("first run exited %d:\n%s", code, out)
	}
	out, code = third.wait(t, 60*time.Second)
	if code != 0 {
		t.Fatalf("the waiting run exited %d:\n%s", code, out)
	}
	// It ran after the first: the certificate was there already.
	if !strings.Contains(out, "no new one needed") {
		t.Errorf("the waiting run did not find the first run's certificate:\n%s", out)
	}
	roots, err := sb.IssuerRoots()
	if err != nil {
		t.Fatal(err)
	}
	if s, why := classify(sb, roots, 5*time.Second); s != servedNew {
		t.Fatalf("the site is %s: %s", s, why)
	}
}

// waitOpens waits until the run has path open: lock.Acquire opens the lock
// file and then keeps trying to flock it.
func waitOpens(t *testing.T, r *bgRun, path string) {
	t.Helper()
	fdDir := fmt.Sprintf("/proc/%d/fd", r.cmd.Process.Pid)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		fds, _ := os.ReadDir(fdDir)
		for _, fd := range fds {
			if target, _ := os.Readlink(filepath.Join(fdDir, fd.Name())); target == path {
				return
			}
		}
		select {
		case <-r.done:
			t.Fatalf("the run ended before it queued for the lock:\n%s", r.out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("the run never opened %s", path)
}
