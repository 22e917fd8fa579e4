package schedule

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A schedule for a state dir other than the default names it in what it
// runs, and Installed reads it back; the package's units (which renew
// the default) are then not the ones enabled.
func TestStateDirInTheScheduleAndInstalled(t *testing.T) {
	for _, mode := range []Mode{Cron, Systemd} {
		root, bin := newRoot(t, mode == Systemd, mode == Cron)
		if ok, _ := Installed(root); ok {
			t.Fatalf("%s: Installed on an empty root", mode)
		}
		if mode == Systemd {
			shipUnits(t, root, packageUnitDirs[0], bin)
		}
		if _, err := Install(Options{Mode: mode, Root: root, Binary: bin, StateDir: "/srv/state"}); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(root, cronDir, cronName)
		if mode == Systemd {
			file = filepath.Join(root, unitDir, ServiceName)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if !strings.Contains(string(b), bin+" renew --from-timer --state-dir /srv/state") {
			t.Errorf("%s: %s does not renew /srv/state:\n%s", mode, file, b)
		}
		if ok, dir := Installed(root); !ok || dir != "/srv/state" {
			t.Errorf("%s: Installed = %v, %q", mode, ok, dir)
		}
		if mode == Systemd {
			verifyUnits(t, file, filepath.Join(root, unitDir, TimerName))
		}
		// Back to the default: the line carries no --state-dir.
		if _, err := Install(Options{Mode: mode, Root: root, Binary: bin}); err != nil {
			t.Fatal(err)
		}
		if ok, dir := Installed(root); !ok || dir != "" {
			t.Errorf("%s: after a default install, Installed = %v, %q", mode, ok, dir)
		}
		// PlanRemove writes nothing; Remove takes it away; again is a no-op.
		r, err := PlanRemove(Options{Root: root})
		if err != nil || !r.Changed() {
			t.Fatalf("%s: PlanRemove = %+v, %v", mode, r, err)
		}
		if ok, _ := Installed(root); !ok {
			t.Errorf("%s: PlanRemove removed the schedule", mode)
		}
		for range 2 {
			if _, err := Remove(Options{Root: root}); err != nil {
				t.Fatal(err)
			}
		}
		if ok, _ := Installed(root); ok {
			t.Errorf("%s: still installed after Remove", mode)
		}
		if mode == Systemd {
			// The package's units are disabled, never deleted.
			for _, n := range []string{ServiceName, TimerName} {
				if _, err := os.Stat(filepath.Join(root, packageUnitDirs[0], n)); err != nil {
					t.Errorf("packaged %s: %v", n, err)
				}
			}
		}
	}
}

func TestStateDirMustBeSafe(t *testing.T) {
	root, bin := newRoot(t, false, true)
	var sde *StateDirError
	if _, err := Install(Options{Mode: Cron, Root: root, Binary: bin, StateDir: "/srv/a b;rm"}); !errors.As(err, &sde) {
		t.Fatalf("Install = %v, want StateDirError", err)
	}
}
