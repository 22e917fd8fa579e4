package e2e

import (
	"slices"
	"strings"
	"testing"
)

// Under cron or systemd stdin is /dev/null: a character device, but no one
// to ask. apply and rollback without --yes refuse (exit 2, naming --yes)
// instead of reading end-of-file as "no", and nothing is written.
func TestNoTerminalWithoutYesRefuses(t *testing.T) {
	sb := newSandbox(t)
	before := snapshot(t, sb)
	args := slices.DeleteFunc(append([]string{"apply"}, sb.ApplyArgs()...), func(a string) bool { return a == "--yes" })
	out, code := run(t, args...) // exec gives the child /dev/null as stdin
	if code != 2 || !strings.Contains(out, "--yes") {
		t.Errorf("apply without --yes and without a terminal: exit %d, want 2 naming --yes:\n%s", code, out)
	}
	requireSameFiles(t, before, snapshot(t, sb))
}
