package e2e

import (
	"bufio"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

// With nginx stopped and nothing on port 80, lego's own server answers
// the challenge; nginx is then started with the new config.
func TestApplyWithNginxStoppedUsesStandaloneChallenge(t *testing.T) {
	sb := newSandbox(t)
	if out, err := exec.Command(sb.NginxBin, "-c", sb.NginxConf, "-s", "quit").CombinedOutput(); err != nil {
		t.Fatalf("stopping nginx: %v %s", err, out)
	}
	waitClosed(t, sb.HTTPPort)
	out, code := run(t, append([]string{"apply"}, sb.ApplyArgs()...)...)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	if status, body := getHTTPS(t, sb, "/"); status != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Fatalf("https / = %d %q", status, body)
	}
}

// SIGINT during issuance cancels cleanly and changes nothing; SIGINT once
// files are being written is deferred: the run finishes and verifies.
func TestApplyInterruptNeverLeavesHalfApplied(t *testing.T) {
	for _, c := range []struct {
		name     string
		at       string // the first output line containing this triggers SIGINT
		finishes bool
	}{
		{"contacting-CA", "… issue    contacting", false},
		{"challenge-prepared", "… prepare ", false},
		{"certificate-issued", "✓ issue ", false},
		{"writing", "… write ", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			sb := newSandbox(t)
			before := snapshot(t, sb)
			code, out := interruptAt(t, sb, c.at)
			if c.finishes {
				if code != 0 {
					t.Fatalf("interrupted during the write phase, exit %d:\n%s", code, out)
				}
				if status, _ := getHTTPS(t, sb, "/"); status != 200 {
					t.Fatalf("https status %d", status)
				}
				return
			}
			if code == 0 || !strings.Contains(out, "interrupted: nothing was changed") {
				t.Fatalf("exit %d after SIGINT before any write:\n%s", code, out)
			}
			requireSameFiles(t, before, snapshot(t, sb))
			if _, out, _ := getHTTP(t, sb, "/"); out != "" {
				t.Fatalf("http now redirects to %s", out)
			}
		})
	}
}

func interruptAt(t *testing.T, sb *sandbox.Sandbox, marker string) (int, string) {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"apply"}, sb.ApplyArgs()...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	sent := false
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if !sent && strings.Contains(sc.Text(), marker) {
			cmd.Process.Signal(syscall.SIGINT)
			sent = true
		}
	}
	err = cmd.Wait()
	if !sent {
		t.Fatalf("never saw %q:\n%s", marker, out.String())
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String()
	}
	return 0, out.String()
}

// The roll-back commands apply prints really put the originals back.
func TestApplyPrintedRollbackRestoresOriginals(t *testing.T) {
	sb := newSandbox(t)
	before := snapshot(t, sb)
	out, code := run(t, append([]string{"apply"}, sb.ApplyArgs()...)...)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	_, cmds, ok := strings.Cut(out, "  to roll back by hand:\n")
	if !ok {
		t.Fatalf("no roll-back commands printed:\n%s", out)
	}
	for _, line := range strings.Split(strings.TrimRight(cmds, "\n"), "\n") {
		if b, err := exec.Command("bash", "-c", strings.TrimSpace(line)).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", line, err, b)
		}
	}
	requireSameFiles(t, before, snapshot(t, sb))
	// nginx -s reload returns before the old workers stop answering.
	var status int
	var loc, body string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if status, loc, body = getHTTP(t, sb, "/"); status == 200 {
			break
		}
	}
	if status != 200 || loc != "" || !strings.Contains(body, "Hello from the demo app") {
		t.Fatalf("after the roll back http / = %d %q %q", status, loc, body)
	}
}
