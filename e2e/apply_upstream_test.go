package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The site serves its app on app.sock; the user types myproject.sock.
// apply refuses before anything is written, naming both addresses, and
// the site keeps serving the app.
func TestApplyMistypedSocketRefused(t *testing.T) {
	sb := newSandbox(t)
	wrong := filepath.Join(filepath.Dir(sb.AppSocket), "myproject.sock")
	before := snapshot(t, sb)
	out, code := run(t, append([]string{"apply"}, with(sb.ApplyArgs(), "--upstream", "unix:"+wrong)...)...)
	if code != 2 {
		t.Fatalf("apply exited %d, want 2:\n%s", code, out)
	}
	for _, want := range []string{"--upstream", "unix:" + wrong, "unix:" + sb.AppSocket, "Nothing was changed."} {
		if !strings.Contains(out, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, out)
		}
	}
	requireSameFiles(t, before, snapshot(t, sb))
	if _, err := os.Stat(filepath.Join(sb.StateDir, "live")); err == nil {
		t.Error("a certificate was installed")
	}
	status, _, body := getHTTP(t, sb, "/")
	if status != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Fatalf("the site no longer serves: %d %q", status, body)
	}

	// The same typo in a dry run is refused the same way.
	out, code = run(t, append([]string{"apply", "--dry-run"}, with(sb.ApplyArgs(), "--upstream", "unix:"+wrong)...)...)
	if code != 2 || !strings.Contains(out, "unix:"+sb.AppSocket) {
		t.Fatalf("dry run exited %d:\n%s", code, out)
	}
}

// When neither the current app nor the given address answers (an app not
// started yet), apply says so plainly and goes on.
func TestApplyNothingAnsweringWarnsAndGoesOn(t *testing.T) {
	sb := newSandbox(t)
	wrong := filepath.Join(filepath.Dir(sb.AppSocket), "myproject.sock")
	out, code := run(t, append([]string{"apply", "--dry-run"}, with(sb.ApplyArgs(), "--upstream", "unix:"+wrong)...)...)
	_ = out
	if code != 2 {
		t.Fatalf("precondition: the app answers, so the typo is refused (exit %d)", code)
	}
	if err := sb.StopApp(); err != nil {
		t.Fatal(err)
	}
	out, code = run(t, append([]string{"apply", "--dry-run"}, with(sb.ApplyArgs(), "--upstream", "unix:"+wrong)...)...)
	if code != 0 || !strings.Contains(out, "nothing answers at unix:"+wrong) || !strings.Contains(out, "nor at the site's current app") {
		t.Fatalf("dry run exited %d:\n%s", code, out)
	}
}

// A dry run as a normal user says it needs root, not nginx's
// "Permission denied" as if the configuration were broken.
func TestApplyDryRunAsNormalUserSaysRoot(t *testing.T) {
	sb := newSandbox(t)
	cmd := exec.Command("setpriv", append([]string{"--reuid=nobody", "--regid=nogroup", "--clear-groups", binary, "apply", "--dry-run"}, sb.ApplyArgs()...)...)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the dry run as nobody succeeded:\n%s", out)
	}
	if !strings.Contains(string(out), "needs root") || !strings.Contains(string(out), "sudo ") {
		t.Fatalf("the dry run as nobody does not say it needs root:\n%s", out)
	}
}
