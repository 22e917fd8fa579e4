package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// nginx accepts the new files (nginx -t passes) but the reload fails, as
// when the master cannot be signalled: every file is restored byte for
// byte, the message says the reload failed and that the files are back,
// the old site keeps serving, and a rerun with a working nginx finishes.
func TestApplyReloadFailureRestoresEveryFile(t *testing.T) {
	sb := newSandbox(t)
	// The wrapper passes -t, -T, -v, -V and the challenge-time reload
	// through; only a reload of the config with the certificate fails.
	wrapper := filepath.Join(t.TempDir(), "nginx")
	script := fmt.Sprintf(`#!/bin/sh
for a in "$@"; do
	if [ "$a" = reload ] && grep -qs ssl_certificate %q; then
		echo "nginx: [alert] kill(4242, 1) failed (1: Operation not permitted)" >&2
		exit 1
	fi
done
exec %q "$@"
`, sb.SiteFile, sb.NginxBin)
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, sb)

	out, code := run(t, append([]string{"apply"}, with(sb.ApplyArgs(), "--nginx-bin", wrapper)...)...)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	for _, want := range []string{"-s reload failed", "Operation not permitted", "restored byte for byte"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	requireSameFiles(t, before, snapshot(t, sb))
	if _, err := os.Lstat(filepath.Join(sb.StateDir, "live", sb.Domain)); err == nil {
		t.Error("the certificate link is still there after the rollback")
	}
	requireNginxTest(t, sb)
	requireOldSiteServes(t, sb)

	out, code = run(t, append([]string{"apply"}, sb.ApplyArgs()...)...)
	if code != 0 {
		t.Fatalf("rerun with a working nginx exited %d:\n%s", code, out)
	}
	roots, err := sb.IssuerRoots()
	if err != nil {
		t.Fatal(err)
	}
	if s, why := classify(sb, roots, 5*time.Second); s != servedNew {
		t.Fatalf("after the rerun the site is %s: %s", s, why)
	}
}
