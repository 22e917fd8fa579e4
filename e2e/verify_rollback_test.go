package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

// The app answered over http before; with the new upstream https gets a
// 502. However the new address was chosen, that is a broken site:
// verification fails, every file is restored and apply exits 1.
func TestApplyRollsBackWhenTheAppStopsAnswering(t *testing.T) {
	sb := newSandbox(t)
	// A socket that accepts and hangs up at once: it passes a connect
	// check, and nginx answers 502 through it.
	dead := filepath.Join(sb.Dir, "app", "crashing.sock")
	l, err := sandbox.ListenApp(dead)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	before := snapshot(t, sb)

	args := append([]string{"apply"}, sb.ApplyArgs()...)
	out, code := run(t, append(args, "--upstream", "unix:"+dead)...)
	if code != 1 {
		t.Fatalf("apply exited %d, want 1 (verification failed):\n%s", code, out)
	}
	if !strings.Contains(out, "200") || !strings.Contains(out, "502") {
		t.Errorf("the failure should say the site answered 200 before and 502 now:\n%s", out)
	}
	requireSameFiles(t, before, snapshot(t, sb))
	if status, _, body := getHTTP(t, sb, "/"); status != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Errorf("after the roll back http / = %d %q, want the app as before", status, body)
	}
}
