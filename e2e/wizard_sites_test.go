package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// After `httpsify apply`, the wizard opens on the site it manages: the
// table shows it with the served certificate's expiry; Enter checks it
// (one key, the issue allows three) and it says "verified" because the
// served certificate is the installed one and the site answers; r renews
// it through Pebble and a new certificate (new serial) is served; with
// the installed certificate swapped behind nginx's back, the check says
// what it saw instead of "verified".
func TestWizardOpensOnManagedSites(t *testing.T) {
	sb := newSandbox(t)
	if out, code := run(t, append([]string{"apply"}, sb.ApplyArgs()...)...); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	old := servedLeaf(t, sb)
	liveDir := filepath.Join(sb.StateDir, "live", sb.Domain)
	oldVersion, err := os.Readlink(liveDir)
	if err != nil {
		t.Fatal(err)
	}

	tm := startTerm(t, wizardArgs(sb)...)
	const step, issuance = 15 * time.Second, 90 * time.Second
	s := tm.waitFor(step, "Sites httpsify manages", "EXPIRES", sb.Domain, "✓ apply", "check now")
	if !strings.Contains(s, old.NotAfter.UTC().Format("2006-01-02")) || strings.Contains(s, "Step 1 of 9") {
		t.Fatalf("the table does not show the served certificate's expiry:\n%s", s)
	}

	keys := 0
	tm.keys("Enter")
	keys++
	s = tm.waitFor(step, sb.Domain+" verified", "certificate served for "+sb.Domain, "https reaches the app")
	if keys > 3 {
		t.Fatalf("%d keys to re-verify", keys)
	}
	if strings.Contains(s, "✗") {
		t.Fatalf("a check failed on a healthy site:\n%s", s)
	}

	tm.keys("Enter") // back to the site
	tm.waitFor(step, "a add a site")
	tm.keys("r")
	s = tm.waitFor(issuance, sb.Domain+" renewed: the new certificate")
	renewed := servedLeaf(t, sb)
	if bytes.Equal(renewed.Raw, old.Raw) || renewed.SerialNumber.Cmp(old.SerialNumber) == 0 {
		t.Fatal("the renewal did not change the certificate served")
	}
	if flat := strings.Join(strings.Fields(s), " "); !strings.Contains(flat, "(serial "+renewed.SerialNumber.Text(16)+") is served") {
		t.Fatalf("the screen does not name the served serial %s:\n%s", renewed.SerialNumber.Text(16), s)
	}
	tm.waitFor(step, "✓ renew")

	// The installed certificate is now the old one, but nginx was not
	// reloaded: it still serves the renewed one. The check must see it.
	tmp := liveDir + ".swap"
	if err := os.Symlink(oldVersion, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, liveDir); err != nil {
		t.Fatal(err)
	}
	tm.keys("Enter")
	tm.waitFor(step, "a add a site")
	tm.keys("c")
	s = tm.waitFor(step, "did not pass the check", "an older certificate is served")
	tm.keys("q")
	tm.waitFor(step, "WIZARD-EXIT=0") // leaving the sites screen is no failure
	scrollback := tm.tmux("capture-pane", "-p", "-J", "-S", "-300", "-t", tm.name)
	if n := strings.Count(scrollback, "verified:"); n != 1 {
		t.Fatalf("\"verified\" said %d times, want once (the first check only):\n%s", n, scrollback)
	}
}

// Change (e) re-enters the wizard's steps pre-filled from the site's
// stored request: turning HSTS on at the preview goes through confirm,
// nginx -t, reload and verify, and the site file and the stored request
// have it afterwards; nothing else was asked again.
func TestWizardChangesManagedSite(t *testing.T) {
	sb := newSandbox(t)
	if out, code := run(t, append([]string{"apply"}, sb.ApplyArgs()...)...); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	tm := startTerm(t, wizardArgs(sb)...)
	const step = 15 * time.Second
	tm.waitFor(step, "Sites httpsify manages", "e change")
	tm.keys("e")
	s := tm.waitFor(step, "Step 2 of 9", "● "+sb.Domain)
	tm.keys("Enter")
	// The email and the terms come from the stored request.
	s = tm.waitFor(step, "Step 3 of 9")
	if email := sb.ApplyArgs()[indexOf(sb.ApplyArgs(), "--email")+1]; !strings.Contains(s, email) {
		t.Fatalf("the email is not pre-filled:\n%s", s)
	}
	tm.keys("Enter")
	tm.waitFor(step, "Step 5 of 9")
	tm.keys("Enter")
	tm.waitFor(step, "Step 6 of 9", "HSTS off")
	tm.keys("h")
	tm.waitFor(step, "HSTS on")
	tm.keys("Enter")
	tm.waitFor(step, "Step 7 of 9", "Apply these changes?")
	tm.keys("y")
	tm.waitFor(90*time.Second, "Step 9 of 9", "is live")
	tm.keys("Enter")
	tm.waitFor(step, "WIZARD-EXIT=0")
	if site, _ := os.ReadFile(sb.SiteFile); !bytes.Contains(site, []byte("Strict-Transport-Security")) {
		t.Fatalf("the site file has no HSTS header:\n%s", site)
	}
	req, _ := os.ReadFile(filepath.Join(sb.StateDir, "archive", sb.Domain, "request.json"))
	if !bytes.Contains(req, []byte(`"hsts": true`)) {
		t.Fatalf("the stored request was not updated:\n%s", req)
	}
}

func indexOf(a []string, s string) int {
	for i, x := range a {
		if x == s {
			return i
		}
	}
	return -1
}

// Remove (x) from the sites screen, restoring: the plan the engine made
// is shown before the question; after yes every nginx file is byte for
// byte as before apply, the site answers plain HTTP, and status lists
// no site any more.
func TestWizardRemovesManagedSite(t *testing.T) {
	sb := newSandbox(t)
	before := snapshot(t, sb)
	if out, code := run(t, append([]string{"apply", "--schedule", "none"}, sb.ApplyArgs()...)...); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	tm := startTerm(t, wizardArgs(sb)...)
	const step = 15 * time.Second
	tm.waitFor(step, "Sites httpsify manages", "x remove")
	tm.keys("x")
	tm.waitFor(step, "Restore it as it was before httpsify")
	tm.keys("Enter")
	s := tm.waitFor(step, "Remove "+sb.Domain+"?", "and restore its files as they were before httpsify", "restore ")
	if !strings.Contains(strings.Join(strings.Fields(s), " "), sb.SiteFile) && !strings.Contains(s, "sites-enabled/app") {
		t.Fatalf("the plan does not name the site file:\n%s", s)
	}
	tm.keys("y")
	tm.waitFor(step, "is no longer managed by httpsify", "No sites are managed here any more")
	tm.keys("q")
	tm.waitFor(step, "WIZARD-EXIT=0")

	requireSameFiles(t, before, snapshot(t, sb))
	if code, _, body := getHTTP(t, sb, "/"); code != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Fatalf("plain http after the removal: %d %q", code, body)
	}
	st, raw, code := statusOf(t, "--state-dir", sb.StateDir)
	if code != 0 || len(st.Sites) != 0 {
		t.Fatalf("status after the removal exited %d:\n%s", code, raw)
	}
}

// --accessible offers the same sites screen as plain lines: after apply,
// the answers "first site, check now" print the same verdict, and quit
// exits 0.
func TestWizardAccessibleChecksManagedSite(t *testing.T) {
	sb := newSandbox(t)
	if out, code := run(t, append([]string{"apply", "--schedule", "none"}, sb.ApplyArgs()...)...); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	cmd := exec.Command(binary, append(wizardArgs(sb), "--accessible")...)
	// One site: it is said, not asked; then check now, then quit.
	cmd.Stdin = strings.NewReader("1\n6\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the wizard: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{"Sites httpsify manages", "- " + sb.Domain + ":", "What should httpsify do?", "certificate served for " + sb.Domain, sb.Domain + " verified"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Step 1 of 9") || strings.Count(text, " verified:") != 1 {
		t.Errorf("not one check, or the wizard's steps ran:\n%s", text)
	}
}
