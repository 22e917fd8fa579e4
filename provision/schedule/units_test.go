package schedule

import (
	"os"
	"strings"
	"testing"
	"time"
)

// unitSettings reads Key=Value lines (the last one of a key wins, as in
// systemd).
func unitSettings(unit string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(unit, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok && !strings.HasPrefix(line, "#") {
			m[k] = v
		}
	}
	return m
}

// The sandboxing must leave renewal able to do its job: write the state
// dir and certificates under /etc (or wherever the user put them), the
// HTTP-01 webroot (sometimes under /home), and files readable by nginx's
// workers; and a hung run must end before the next timer tick.
func TestServiceLetsRenewalWork(t *testing.T) {
	svc, err := renderService("/usr/local/bin/httpsify")
	if err != nil {
		t.Fatal(err)
	}
	s := unitSettings(string(svc))
	if s["Type"] != "oneshot" {
		t.Errorf("Type=%s: a oneshot's exit code is the run's result in systemctl status", s["Type"])
	}
	switch s["ProtectSystem"] {
	case "full", "strict":
		t.Errorf("ProtectSystem=%s makes /etc read-only", s["ProtectSystem"])
	}
	for _, k := range []string{"ProtectHome", "ReadOnlyPaths", "InaccessiblePaths", "ReadWritePaths", "DynamicUser", "User", "PrivateUsers", "UMask", "ProtectProc"} {
		if v, ok := s[k]; ok {
			t.Errorf("%s=%s would keep renewal from writing or reading where the user's files are", k, v)
		}
	}
	d, err := time.ParseDuration(s["TimeoutStartSec"])
	if err != nil || d <= 0 || d >= 12*time.Hour {
		t.Errorf("TimeoutStartSec=%q: want a bound below the 12 h between runs", s["TimeoutStartSec"])
	}
	tmr, err := renderTimer()
	if err != nil {
		t.Fatal(err)
	}
	ts := unitSettings(string(tmr))
	if d, err := time.ParseDuration(ts["RandomizedDelaySec"]); err != nil || d <= 0 || d > 12*time.Hour {
		t.Errorf("RandomizedDelaySec=%q: want a spread within the 12 h between runs", ts["RandomizedDelaySec"])
	}
}

// A new binary path updates the files in place; the cron times stay.
func TestReinstallWithNewBinary(t *testing.T) {
	root, bin := newRoot(t, false, true)
	p := newPaths(root)
	if _, err := Install(Options{Mode: Cron, Root: root, Binary: bin}); err != nil {
		t.Fatal(err)
	}
	first := cronEntry(t, readFile(t, p.cron()))
	moved := bin + "-2"
	if err := os.WriteFile(moved, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	r, err := Install(Options{Mode: Cron, Root: root, Binary: moved})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Actions) != 1 || r.Actions[0].Verb != Update {
		t.Errorf("actions:\n%s", r.Details())
	}
	second := cronEntry(t, readFile(t, p.cron()))
	if strings.Join(strings.Fields(first)[:5], " ") != strings.Join(strings.Fields(second)[:5], " ") {
		t.Errorf("times changed: %q -> %q", first, second)
	}
	if !strings.Contains(second, " "+moved+" renew") {
		t.Errorf("entry %q lacks the new binary", second)
	}
}
