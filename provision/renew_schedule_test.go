package provision

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/provision/schedule"
)

func TestScheduleRefusesATemporaryBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "httpsify") // under $TMPDIR, as `go run` builds
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := scheduleBinary(bin); !errors.Is(err, ErrTemporaryBinary) {
		t.Fatalf("scheduleBinary(%s) = %v, want ErrTemporaryBinary", bin, err)
	}
	// Nothing is installed, and the summary says so.
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "etc/cron.d"), 0o755)
	var events []Event
	x := &Session{Sink: func(e Event) { events = append(events, e) }, Schedule: &ScheduleSpec{Mode: schedule.Cron, Root: root, Binary: bin}}
	line, ok := x.installSchedule(&Settings{Host: Host{StateDir: DefaultStateDir}})
	if ok || !strings.Contains(line, "no renewal schedule installed") {
		t.Errorf("summary %q", line)
	}
	if ents, _ := os.ReadDir(filepath.Join(root, "etc/cron.d")); len(ents) != 0 {
		t.Errorf("a cron file was installed for a temporary binary")
	}
}

func TestScheduleInstalledIdempotently(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "etc/cron.d"), 0o755)
	x := &Session{Sink: func(Event) {}, Schedule: &ScheduleSpec{Mode: schedule.Cron, Root: root, Binary: "/usr/bin/true"}}
	s := &Settings{Host: Host{StateDir: DefaultStateDir}}
	line, ok := x.installSchedule(s)
	if !ok || !strings.Contains(line, "cron") {
		t.Fatalf("summary %q, want the cron file named", line)
	}
	cron, err := os.ReadFile(filepath.Join(root, "etc/cron.d/httpsify-renew"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cron), "/usr/bin/true renew --from-timer") {
		t.Errorf("cron file does not run renew:\n%s", cron)
	}
	x.installSchedule(s)
	again, _ := os.ReadFile(filepath.Join(root, "etc/cron.d/httpsify-renew"))
	if string(again) != string(cron) {
		t.Errorf("a second install changed the cron file")
	}
}

func TestPlannedScheduleWritesNothing(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "etc/cron.d"), 0o755)
	x := &Session{Sink: func(Event) {}, Schedule: &ScheduleSpec{Mode: schedule.Cron, Root: root, Binary: "/usr/bin/true"}}
	if got := x.PlannedSchedule(); !strings.Contains(got, "will install /etc/cron.d/httpsify-renew") {
		t.Errorf("PlannedSchedule = %q", got)
	}
	if ents, _ := os.ReadDir(filepath.Join(root, "etc/cron.d")); len(ents) != 0 {
		t.Errorf("PlannedSchedule wrote %v", ents)
	}
	x.Schedule.Mode = schedule.None
	if got := x.PlannedSchedule(); got != "" {
		t.Errorf("PlannedSchedule with --schedule none = %q", got)
	}
}
