package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/provision"
)

// startTermEnv is startTerm with environment variables for the wizard
// (SSL_CERT_FILE: the provider's private root, as Go's system pool reads it).
func startTermEnv(t *testing.T, env []string, args ...string) *term {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is needed for the wizard test (e2e/install-deps.sh installs it)")
	}
	n := termSeq.Add(1)
	tm := &term{t: t, socket: fmt.Sprintf("httpsify-e2e-%d-%d", os.Getpid(), n), name: fmt.Sprintf("wizard%d", n)}
	cmd := provision.ShellJoin(append(append([]string{"env"}, env...), append([]string{binary}, args...)...)) + `; echo "WIZARD-EXIT=$?"; sleep 600`
	tm.tmux("new-session", "-d", "-s", tm.name, "-x", "80", "-y", "24", cmd)
	t.Cleanup(func() { exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })
	return tm
}

// "I already have a certificate": a person picks it, types the paths of
// the provider's download, and the site ends up serving that leaf, with
// the same preview and confirmation as for a CA's certificate.
func TestWizardInstallsOwnCertificate(t *testing.T) {
	sb := newSandbox(t)
	dir := t.TempDir()
	pc := newProviderChain(t, dir)
	now := time.Now()
	leaf := pc.leaf(t, []string{sb.Domain}, now.Add(-time.Hour), now.Add(90*24*time.Hour))
	certFile, keyFile := download(t, dir, "provider", leaf, pc.inter, leaf.key, 0o600)
	tm := startTermEnv(t, []string{"SSL_CERT_FILE=" + pc.rootFile}, wizardArgs(sb)...)
	const step = 15 * time.Second

	tm.waitFor(step, "Step 2 of 9", sb.Domain+" → 127.0.0.1")
	tm.keys("Enter")
	tm.waitFor(step, "Step 3 of 9", "› Email")
	tm.keys("BTab") // to the CA's URL (the sandbox's --ca is Pebble's)
	tm.keys("BTab") // to the CA
	tm.keys("BTab") // to the method
	tm.keys("Down") // DNS-01
	tm.keys("Down") // "I already have a certificate"
	tm.waitFor(step, "Certificate file")
	tm.keys("Tab")
	tm.typeText(certFile)
	tm.keys("Tab")
	tm.typeText(keyFile)
	tm.keys("Enter")
	tm.waitFor(step, "Step 5 of 9")
	tm.keys("Enter")
	tm.waitFor(step, "Step 6 of 9", "listen "+strconv.Itoa(sb.HTTPSPort)+" ssl")
	tm.keys("Enter")
	tm.waitFor(step, "Step 7 of 9", "Apply these changes?")
	tm.keys("y")
	tm.waitFor(60*time.Second, "Step 9 of 9", "is live")
	tm.keys("Enter")
	tm.waitFor(step, "WIZARD-EXIT=0")
	scrollback := strings.Join(strings.Fields(tm.tmux("capture-pane", "-p", "-J", "-S", "-300", "-t", tm.name)), " ")
	for _, want := range []string{"my own certificate", "--cert-file " + certFile, "does not renew itself"} {
		if !strings.Contains(scrollback, want) {
			t.Errorf("the wizard never said %q:\n%s", want, scrollback)
		}
	}
	requireServesLeaf(t, sb, pc, leaf)
	requireProtocols(t, sb)
	if n, _ := sb.PebbleOrders(); n != 0 {
		t.Errorf("the CA got %d orders", n)
	}
}
