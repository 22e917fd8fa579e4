package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"
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

// On a terminal without --yes, apply shows the plan and asks; answering
// no prints "Nothing changed." and exits 1, and it is true: no file
// differs and the CA issued nothing.
func TestApplyDeclinedOnTerminalChangesNothing(t *testing.T) {
	sb := newSandbox(t)
	before := snapshot(t, sb)
	ordersBefore, err := sb.PebbleOrders()
	if err != nil {
		t.Fatal(err)
	}
	args := slices.DeleteFunc(append([]string{"apply"}, sb.ApplyArgs()...), func(a string) bool { return a == "--yes" })
	tm := startTerm(t, args...)
	tm.waitFor(60*time.Second, "Apply these changes?")
	tm.typeText("n")
	tm.keys("Enter")
	final := tm.waitFor(30*time.Second, "WIZARD-EXIT=")
	if !strings.Contains(final, "Nothing changed.") || !strings.Contains(final, "WIZARD-EXIT=1") {
		t.Fatalf("declined apply:\n%s", final)
	}
	requireSameFiles(t, before, snapshot(t, sb))
	if orders, err := sb.PebbleOrders(); err != nil || orders != ordersBefore {
		t.Errorf("Pebble orders %d after a declined apply, %d before (%v)", orders, ordersBefore, err)
	}
}
