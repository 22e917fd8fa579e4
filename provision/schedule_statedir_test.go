package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/provision/schedule"
)

// apply with another state dir than the default schedules that state
// dir; the default writes no --state-dir (the packaged units' line).
func TestScheduleCarriesTheStateDir(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "etc/cron.d"), 0o755)
	state := filepath.Join(t.TempDir(), "state")
	x := &Session{Sink: func(Event) {}, Host: &Host{StateDir: state}, Schedule: &ScheduleSpec{Mode: schedule.Cron, Root: root, Binary: "/usr/bin/true"}}
	if got := x.PlannedSchedule(); !strings.Contains(got, "will install") {
		t.Errorf("PlannedSchedule = %q", got)
	}
	if _, ok := x.installSchedule(&Settings{Host: Host{StateDir: state}}); !ok {
		t.Fatal("no schedule installed")
	}
	cron, _ := os.ReadFile(filepath.Join(root, "etc/cron.d/httpsify-renew"))
	if !strings.Contains(string(cron), "/usr/bin/true renew --from-timer --state-dir "+state+" ") {
		t.Errorf("cron file does not renew %s:\n%s", state, cron)
	}
	if ok, dir := schedule.Installed(root); !ok || dir != state {
		t.Errorf("Installed = %v, %q", ok, dir)
	}
}

// A schedule that renews another state dir with sites in it is never
// repointed: the run says how to renew its own sites instead.
func TestScheduleNotRepointedAwayFromOtherSites(t *testing.T) {
	_, sess, p, _, root := deployedFake(t) // a cron schedule for the fake's state dir, with its site
	cronPath := filepath.Join(root, "etc/cron.d/httpsify-renew")
	before, _ := os.ReadFile(cronPath)
	other := filepath.Join(t.TempDir(), "other-state")
	var warned []string
	x := &Session{Sink: func(e Event) { warned = append(warned, e.Message) }, Host: &Host{StateDir: other},
		Schedule: &ScheduleSpec{Mode: schedule.Cron, Root: root, Binary: "/usr/bin/true"}}
	line, ok := x.installSchedule(&Settings{Host: Host{StateDir: other}})
	if ok || !strings.Contains(line, p.Settings.StateDir) || !strings.Contains(line, "renew --state-dir "+other) {
		t.Errorf("installSchedule = %q, %v; want the other state dir named and the command to run", line, ok)
	}
	if after, _ := os.ReadFile(cronPath); string(after) != string(before) {
		t.Errorf("the schedule was repointed:\n%s", after)
	}
	_ = sess
}
