package provision

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/schedule"
	"github.com/httpsify/httpsify/provision/statedir"
)

// ScheduleSpec is the renewal schedule a verified deploy installs (apply
// and the wizard both go through Session.Deploy).
type ScheduleSpec struct {
	Mode schedule.Mode
	// Root is the file system root ("" is /); tests install elsewhere.
	Root string
	// Binary is httpsify as the scheduler runs it; "" is this running
	// binary, with its links resolved.
	Binary string
}

// ErrTemporaryBinary: the running httpsify lives under a temporary
// directory (`go run`, a test build), which the timer would not find later.
var ErrTemporaryBinary = i18n.NewError("httpsify runs from a temporary directory")

// installSchedule installs (idempotently) what runs `httpsify renew`
// twice a day and says what it did in one line; a failure is a warning
// (the site is live; renewal can be scheduled by hand).
func (x *Session) installSchedule(s *Settings) (line string, installed bool) {
	spec := x.Schedule
	if spec == nil || spec.Mode == schedule.None {
		return schedule.Result{Mode: schedule.None}.Summary(), false
	}
	bin, err := scheduleBinary(spec.Binary)
	if err != nil {
		x.Sink.emit(PhaseInstall, KindWarn, "no renewal schedule installed: %v; run `httpsify renew` twice a day yourself", err)
		return i18n.T("no renewal schedule installed (%s)", err.Error()), false
	}
	if other := otherScheduledDir(spec.Root, s.StateDir); other != "" {
		line = i18n.T("the renewal schedule renews the sites in %s; run `%s renew --state-dir %s` yourself", other, bin, s.StateDir)
		x.Sink.emit(PhaseInstall, KindWarn, "%s", line)
		return line, false
	}
	r, err := schedule.Install(schedule.Options{Mode: spec.Mode, Root: spec.Root, Binary: bin, StateDir: scheduleStateDir(s.StateDir)})
	if err != nil {
		x.Sink.emit(PhaseInstall, KindWarn, "installing the renewal schedule: %v", err)
		return i18n.T("no renewal schedule installed (%s)", err.Error()), false
	}
	line = r.Summary()
	x.Sink.emit(PhaseInstall, KindOK, "%s", line)
	return line, r.Mode != schedule.None
}

// scheduleStateDir is the state dir the schedule names: none for the
// default, so the units stay those a package ships.
func scheduleStateDir(dir string) string {
	if filepath.Clean(dir) == DefaultStateDir {
		return ""
	}
	return filepath.Clean(dir)
}

// otherScheduledDir is the state dir an installed schedule renews when it
// is not dir and still has sites to renew: that schedule stays as it is.
func otherScheduledDir(root, dir string) string {
	installed, other := schedule.Installed(root)
	if !installed {
		return ""
	}
	if other == "" {
		other = DefaultStateDir
	}
	if filepath.Clean(other) == filepath.Clean(dir) {
		return ""
	}
	if sites, err := StoredSites(statedir.Layout(other)); err == nil && len(sites) == 0 {
		return ""
	}
	return other
}

// scheduledStateDir is the session's state dir as the schedule names it.
func (x *Session) scheduledStateDir() string {
	if x.Host == nil {
		return ""
	}
	return scheduleStateDir(x.Host.StateDir)
}

// scheduleBinary is the absolute, resolved path of httpsify to schedule.
func scheduleBinary(given string) (string, error) {
	bin := given
	if bin == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", err
		}
		bin = exe
	}
	resolved, err := filepath.EvalSymlinks(bin)
	if err != nil {
		return "", err
	}
	resolved, err = filepath.Abs(resolved)
	if err != nil {
		return "", err
	}
	for _, tmp := range []string{os.TempDir(), "/tmp", "/var/tmp", "/dev/shm"} {
		if t, err := filepath.EvalSymlinks(tmp); err == nil {
			tmp = t
		}
		if strings.HasPrefix(resolved, filepath.Clean(tmp)+"/") {
			return "", i18n.Errorf("%w (%s): install httpsify first (make install or the package)", ErrTemporaryBinary, resolved)
		}
	}
	return resolved, nil
}

// PlannedSchedule says what Deploy will install after a verified deploy,
// writing nothing (for the wizard's confirm screen); "" when none is asked.
func (x *Session) PlannedSchedule() string {
	spec := x.Schedule
	if spec == nil || spec.Mode == schedule.None {
		return ""
	}
	bin, err := scheduleBinary(spec.Binary)
	if err == nil {
		var r schedule.Result
		if r, err = schedule.Plan(schedule.Options{Mode: spec.Mode, Root: spec.Root, Binary: bin, StateDir: x.scheduledStateDir()}); err == nil {
			return "Renewal: " + r.Summary() + ", to run `httpsify renew`."
		}
	}
	return "Renewal: no schedule will be installed (" + err.Error() + ")."
}
