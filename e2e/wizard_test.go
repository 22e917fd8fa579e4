package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/sandbox"
	"github.com/httpsify/httpsify/provision"
)

// wizardArgs are the sandbox flags without the answers a person types:
// the wizard asks for the domain, email and terms itself. The name check
// asks the sandbox's own DNS server (Base+4, which answers 127.0.0.1 for
// every name), so no query leaves the machine.
func wizardArgs(sb *sandbox.Sandbox) []string {
	var out []string
	args := sb.ApplyArgs()
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "--yes", "--agree-tos":
		case "--domain", "--email":
			i++
		default:
			out = append(out, args[i])
		}
	}
	return append(out, "--dns-server", "127.0.0.1:"+strconv.Itoa(sb.HTTPPort+4))
}

// term is the wizard running in a private tmux server at 80x24: the test
// types into it and reads the screen, as a person over SSH would.
type term struct {
	t            *testing.T
	socket, name string
}

var termSeq atomic.Int32

func startTerm(t *testing.T, args ...string) *term {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is needed for the wizard test (e2e/install-deps.sh installs it)")
	}
	n := termSeq.Add(1)
	tm := &term{t: t, socket: fmt.Sprintf("httpsify-e2e-%d-%d", os.Getpid(), n), name: fmt.Sprintf("wizard%d", n)}
	// The pane stays after the wizard exits, so its last screen and the
	// exit code can be read.
	cmd := provision.ShellJoin(append([]string{binary}, args...)) + `; echo "WIZARD-EXIT=$?"; sleep 600`
	tm.tmux("new-session", "-d", "-s", tm.name, "-x", "80", "-y", "24", cmd)
	t.Cleanup(func() { exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })
	return tm
}

func (tm *term) tmux(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (tm *term) screen() string { return tm.tmux("capture-pane", "-p", "-t", tm.name) }

// waitFor polls the screen until every text is on it.
func (tm *term) waitFor(limit time.Duration, texts ...string) string {
	tm.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		s := tm.screen()
		missing := ""
		for _, x := range texts {
			if !strings.Contains(s, x) {
				missing = x
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("after %s the screen lacks %q:\n%s", limit, missing, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tm *term) keys(keys ...string) {
	tm.tmux(append([]string{"send-keys", "-t", tm.name}, keys...)...)
}
func (tm *term) typeText(s string) { tm.tmux("send-keys", "-t", tm.name, "-l", s) }

// A person takes the seed's site (the sandbox: Flask-style app on a unix
// socket behind nginx on plain HTTP) to a verified HTTPS site in at most
// six key presses besides typing the email, with the preview and the
// verification still on the way; the site then serves the demo app over
// https with Pebble's certificate.
func TestWizardInTerminal(t *testing.T) {
	sb := newSandbox(t)
	tm := startTerm(t, wizardArgs(sb)...)
	const step, issuance = 15 * time.Second, 90 * time.Second
	presses := 0
	press := func(k string) {
		tm.keys(k)
		presses++
	}

	// Preflight found nothing to read closely: it moved on by itself.
	s := tm.waitFor(step, "Step 2 of 9", sb.Domain+" → 127.0.0.1")
	if !strings.Contains(s, "● "+sb.Domain) || !strings.Contains(s, "> unix:"+sb.AppSocket) {
		t.Fatalf("the detected site is not pre-filled:\n%s", s)
	}
	press("Enter")

	tm.waitFor(step, "Step 3 of 9", "› Email")
	tm.typeText("admin@example.org") // the email and its Enter are not counted
	tm.keys("Enter")
	tm.waitFor(step, "› Do you accept", "Terms: ")
	press("y")

	tm.waitFor(issuance, "Step 5 of 9", "New certificate for "+sb.Domain)
	press("Enter")
	tm.waitFor(step, "Step 6 of 9", "Your site's files have not been changed yet", "listen "+strconv.Itoa(sb.HTTPSPort)+" ssl")
	press("Enter")
	tm.waitFor(step, "Step 7 of 9", "Apply these changes?")
	press("y")
	tm.waitFor(issuance, "Step 9 of 9", "is live", "What changed")
	press("Enter")
	s = tm.waitFor(step, "WIZARD-EXIT=0")
	if presses > 6 {
		t.Errorf("%d key presses besides the email, want at most 6", presses)
	}
	scrollback := strings.Join(strings.Fields(tm.tmux("capture-pane", "-p", "-J", "-S", "-300", "-t", tm.name)), " ")
	for _, want := range []string{"✓ Preflight", "✓ Issuance", "✓ Preview", "✓ Reload and verify", "https answers / as before: 200 OK", "sudo httpsify apply --domain " + sb.Domain} {
		if !strings.Contains(scrollback, want) {
			t.Errorf("the scrollback lacks %q:\n%s", want, s)
		}
	}

	code, body := getHTTPS(t, sb, "/")
	if code != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Fatalf("https: %d %q", code, body)
	}
}

// Ctrl+C before anything is written quits at once and changes nothing.
func TestWizardCtrlCBeforeWriting(t *testing.T) {
	sb := newSandbox(t)
	before := snapshot(t, sb)
	tm := startTerm(t, wizardArgs(sb)...)
	tm.waitFor(15*time.Second, "Step 2 of 9")
	tm.keys("C-c")
	tm.waitFor(5*time.Second, "WIZARD-EXIT=130", "Cancelled at step 2: nothing written.")
	requireSameFiles(t, before, snapshot(t, sb))
}

// A certificate issued but never installed (the user stops at the
// preview) is kept, and the next run installs it: one order at the CA
// across the cancel and the rerun, counted in Pebble's own log.
func TestWizardCancelledCertificateReused(t *testing.T) {
	sb := newSandbox(t)
	before := snapshot(t, sb)
	tm := startTerm(t, wizardArgs(sb)...)
	tm.waitFor(15*time.Second, "Step 2 of 9", "● "+sb.Domain)
	tm.keys("Enter")
	tm.waitFor(15*time.Second, "› Email")
	tm.typeText("admin@example.org")
	tm.keys("Enter")
	tm.waitFor(15*time.Second, "› Do you accept")
	tm.keys("y")
	tm.waitFor(90*time.Second, "Step 5 of 9", "New certificate for "+sb.Domain)
	tm.keys("Enter")
	tm.waitFor(15*time.Second, "Step 6 of 9")
	tm.keys("C-c")
	s := tm.waitFor(5*time.Second, "WIZARD-EXIT=130")
	if !strings.Contains(strings.Join(strings.Fields(s), " "), "Cancelled at step 6: nginx's configuration is as it was. The new certificate is kept at") {
		t.Fatalf("the exit does not say what was kept:\n%s", s)
	}
	requireSameFiles(t, before, snapshot(t, sb))
	if n, err := sb.PebbleOrders(); err != nil || n != 1 {
		t.Fatalf("Pebble saw %d orders (%v), want 1", n, err)
	}

	out, code := run(t, append([]string{"apply"}, with(sb.ApplyArgs(), "--email", "admin@example.org")...)...)
	if code != 0 || !strings.Contains(out, "never installed") {
		t.Fatalf("the rerun exited %d:\n%s", code, out)
	}
	if n, err := sb.PebbleOrders(); err != nil || n != 1 {
		t.Fatalf("Pebble saw %d orders (%v) after the rerun, want still 1", n, err)
	}
	if status, body := getHTTPS(t, sb, "/"); status != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Fatalf("https: %d %q", status, body)
	}
}

// Without a terminal (ssh host sudo httpsify, no -t) the wizard says what
// to do instead, before drawing anything.
func TestWizardNeedsTerminal(t *testing.T) {
	out, code := run(t, "--nginx-conf", "/nonexistent/nginx.conf")
	if code != 2 || !strings.Contains(out, "httpsify needs a terminal. Use `ssh -t host sudo httpsify`") {
		t.Fatalf("exit %d: %q", code, out)
	}
}

// Going back and on again, and resizing the terminal, leave no stale
// lines: one ✓ line per step in the whole scrollback, one frame on the
// screen, and the footer keeps help and quit at 60 columns.
func TestWizardEscAndResizeLeaveNoStaleLines(t *testing.T) {
	sb := newSandbox(t)
	tm := startTerm(t, wizardArgs(sb)...)
	tm.waitFor(15*time.Second, "Step 2 of 9", "● "+sb.Domain)
	tm.keys("Escape")
	tm.waitFor(5*time.Second, "Step 1 of 9", "Certificates httpsify manages")
	tm.keys("Enter")
	tm.waitFor(5*time.Second, "Step 2 of 9")
	all := tm.tmux("capture-pane", "-p", "-S", "-500", "-t", tm.name)
	if n := strings.Count(all, "✓ Preflight"); n != 1 {
		t.Fatalf("after Esc and Enter the scrollback holds %d ✓ Preflight lines:\n%s", n, all)
	}
	tm.tmux("resize-window", "-t", tm.name, "-x", "60", "-y", "20")
	s := tm.waitFor(5*time.Second, "? help", "ctrl+c quit")
	if n := strings.Count(s, "Step 2 of 9"); n != 1 {
		t.Fatalf("at 60x20 the screen holds %d frames:\n%s", n, s)
	}
	tm.tmux("resize-window", "-t", tm.name, "-x", "100", "-y", "30")
	time.Sleep(300 * time.Millisecond) // the resize is one redraw; let it land
	s = tm.waitFor(5*time.Second, "Step 2 of 9")
	if n := strings.Count(s, "Step 2 of 9"); n != 1 {
		t.Fatalf("after growing to 100x30 the screen holds %d frames:\n%s", n, s)
	}
	if n := strings.Count(s, "Which site should get HTTPS?"); n != 1 {
		t.Fatalf("a stale part of an old frame stayed:\n%s", s)
	}
	// The ✓ lines are put back above the fresh frame.
	if n := strings.Count(s, "✓ Preflight"); n != 1 {
		t.Fatalf("after the resize the screen holds %d ✓ Preflight lines:\n%s", n, s)
	}
}

// The mistyped socket in the wizard: the site's app answers on app.sock,
// the user types myproject.sock; the site step refuses it next to the
// field, naming both, and stays; nothing is written.
func TestWizardMistypedSocketRefused(t *testing.T) {
	sb := newSandbox(t)
	before := snapshot(t, sb)
	wrong := filepath.Join(filepath.Dir(sb.AppSocket), "myproject.sock")
	tm := startTerm(t, wizardArgs(sb)...)
	tm.waitFor(15*time.Second, "Step 2 of 9", "● "+sb.Domain)
	tm.keys("Tab", "Tab", "C-u") // the app field, emptied
	tm.typeText("unix:" + wrong)
	tm.keys("Enter")
	s := tm.waitFor(10*time.Second, "nothing answers at")
	flat := strings.Join(strings.Fields(s), " ")
	for _, want := range []string{"nothing answers at unix:" + wrong, "current app at unix:" + sb.AppSocket, "Step 2 of 9"} {
		if !strings.Contains(flat, strings.Join(strings.Fields(want), " ")) {
			t.Errorf("the refusal lacks %q:\n%s", want, s)
		}
	}
	tm.keys("C-c")
	tm.waitFor(5*time.Second, "WIZARD-EXIT=130")
	requireSameFiles(t, before, snapshot(t, sb))
}
