package schedule

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Options says where and what to install.
type Options struct {
	Mode Mode
	// Root is the file system root ("" is /). systemctl runs only when
	// Root is / and systemd runs; otherwise the timer is enabled by the
	// same link `systemctl enable` makes, and starts at the next boot.
	Root string
	// Binary is the absolute path of httpsify as the scheduler will run it.
	Binary string
	// StateDir is the state dir the schedule renews; "" is renew's
	// default. Packaged units renew the default only: with another one
	// Install writes its own copy.
	StateDir string
}

// Plan says what Install would do, writing nothing.
func Plan(o Options) (Result, error) { return install(o, true) }

// Install writes the schedule for o.Mode (Auto: systemd when it runs,
// else cron) and removes the other kind if an earlier install left it.
// Files are written only when their content or mode differs, atomically,
// 0644. Systemd units a package ships for o.Binary are enabled, not
// copied. Auto with no scheduler found returns *NoSchedulerError.
func Install(o Options) (Result, error) { return install(o, false) }

// Remove deletes whatever Install wrote, of either kind (for when the
// last managed site goes).
func Remove(o Options) (Result, error) {
	a := &applier{p: newPaths(o.Root), systemctl: runSystemctl}
	r := Result{Mode: None}
	err := a.removeSystemd()
	if err == nil {
		err = a.removeCron()
	}
	r.Actions = a.actions
	return r, err
}

func install(o Options, dry bool) (Result, error) {
	mode, err := ParseMode(string(o.Mode))
	if err != nil {
		return Result{}, err
	}
	p := newPaths(o.Root)
	if mode == Auto {
		if mode = Detect(o.Root); mode == None {
			return Result{Mode: None, Planned: dry}, &NoSchedulerError{Mode: Auto}
		}
	}
	r := Result{Mode: mode, Planned: dry}
	if mode == None {
		return r, nil
	}
	if err := checkBinary(o.Binary); err != nil {
		return r, err
	}
	if err := checkStateDir(o.StateDir); err != nil {
		return r, err
	}
	a := &applier{p: p, dry: dry, systemctl: runSystemctl}
	switch mode {
	case Systemd:
		err = a.installSystemd(o.Binary, o.StateDir)
		if err == nil {
			err = a.removeCron()
		}
	case Cron:
		if !p.cronDirExists() {
			return r, &NoSchedulerError{Mode: Cron}
		}
		err = a.installCron(o.Binary, o.StateDir)
		if err == nil {
			err = a.removeSystemd()
		}
	}
	r.Actions = a.actions
	return r, err
}

// applier performs (or, when dry, only records) the steps.
type applier struct {
	p         paths
	dry       bool
	actions   []Action
	systemctl func(args ...string) error
}

func (a *applier) note(v Verb, path string) {
	a.actions = append(a.actions, Action{Verb: v, Path: path})
}

// liveSystemd: systemctl is run only on the real root with systemd as PID 1.
func (a *applier) liveSystemd() bool { return a.p.isRealSystem() && a.p.systemdRunning() }

func (a *applier) ctl(args ...string) error {
	a.note(Run, "systemctl "+strings.Join(args, " "))
	if a.dry {
		return nil
	}
	return a.systemctl(args...)
}

func (a *applier) installSystemd(bin, stateDir string) error {
	units, err := Units(bin)
	if err != nil {
		return err
	}
	if stateDir != "" {
		svc, err := renderServiceFor(bin, stateDir)
		if err != nil {
			return err
		}
		units[0].Body = svc
	}
	before := len(a.actions)
	if dir, ok := a.p.packagedUnits(bin); ok && stateDir == "" {
		// The package's units run this binary: enable them, and take away
		// a copy an earlier apply wrote, which would override them.
		for _, f := range []string{a.p.timer(), a.p.service()} {
			if err := a.remove(f); err != nil {
				return err
			}
		}
		if err := a.ensureLink(a.p.wantsLink(), "/"+filepath.Join(dir, TimerName)); err != nil {
			return err
		}
	} else {
		for _, u := range units {
			if err := a.writeFile(a.p.join(filepath.Join(unitDir, u.Name)), u.Body); err != nil {
				return err
			}
		}
		if err := a.ensureLink(a.p.wantsLink(), a.p.wantsTarget()); err != nil {
			return err
		}
	}
	if !a.liveSystemd() {
		return nil
	}
	if (Result{Actions: a.actions[before:]}).Changed() {
		if err := a.ctl("daemon-reload"); err != nil {
			return err
		}
	}
	// Also when nothing changed: a timer someone stopped is started again.
	return a.ctl("enable", "--now", TimerName)
}

func (a *applier) installCron(bin, stateDir string) error {
	times := randomCronTimes()
	if old, err := os.ReadFile(a.p.cron()); err == nil {
		if t, ok := parseCronTimes(old); ok {
			times = t
		}
	}
	body, err := renderCron(bin, stateDir, times)
	if err != nil {
		return err
	}
	return a.writeFile(a.p.cron(), body)
}

func (a *applier) removeSystemd() error {
	present := false
	for _, f := range []string{a.p.wantsLink(), a.p.timer(), a.p.service()} {
		if _, err := os.Lstat(f); err == nil {
			present = true
		}
	}
	if !present {
		return nil
	}
	if a.liveSystemd() {
		if err := a.ctl("disable", "--now", TimerName); err != nil {
			return err
		}
	}
	for _, f := range []string{a.p.wantsLink(), a.p.timer(), a.p.service()} {
		if err := a.remove(f); err != nil {
			return err
		}
	}
	if a.liveSystemd() {
		return a.ctl("daemon-reload")
	}
	return nil
}

func (a *applier) removeCron() error { return a.remove(a.p.cron()) }

func (a *applier) remove(path string) error {
	if _, err := os.Lstat(path); os.IsNotExist(err) {
		return nil
	}
	a.note(Delete, path)
	if a.dry {
		return nil
	}
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// writeFile writes body at path, 0644, unless it already holds exactly
// that. A directory, device or link found there is refused.
func (a *applier) writeFile(path string, body []byte) error {
	fi, err := os.Lstat(path)
	switch {
	case os.IsNotExist(err):
		a.note(Create, path)
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		return &UnsafePathError{Path: path, Found: describeMode(fi.Mode())}
	default:
		old, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Equal(old, body) && fi.Mode().Perm() == 0o644 {
			a.note(Keep, path)
			return nil
		}
		a.note(Update, path)
	}
	if a.dry {
		return nil
	}
	return writeAtomic(path, body)
}

// ensureLink makes path a symlink to target (what `systemctl enable`
// makes for WantedBy=timers.target). A link to the timer elsewhere (our
// copy or a package's, relative or absolute as systemctl writes it) is
// ours to repoint; a link to anything else is refused.
func (a *applier) ensureLink(path, target string) error {
	fi, err := os.Lstat(path)
	switch {
	case os.IsNotExist(err):
		a.note(Create, path)
	case err != nil:
		return err
	case fi.Mode()&os.ModeSymlink != 0:
		got, err := os.Readlink(path)
		if err != nil {
			return err
		}
		if sameTimerLink(got, target) {
			a.note(Keep, path)
			return nil
		}
		if !isTimerLink(got) {
			return &UnsafePathError{Path: path, Found: i18n.T("a link to somewhere else")}
		}
		a.note(Update, path)
		if !a.dry {
			if err := os.Remove(path); err != nil {
				return err
			}
		}
	default:
		return &UnsafePathError{Path: path, Found: describeMode(fi.Mode())}
	}
	if a.dry {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.Symlink(target, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// timerLinkTargets are the targets a wants link to the timer has, by
// where the unit lives: our copy (relative, or absolute from systemctl)
// or a package's (/lib and /usr/lib are one directory on merged /usr).
func timerLinkTargets(target string) []string {
	own := []string{filepath.Join("..", TimerName), "/" + filepath.Join(unitDir, TimerName)}
	if slices.Contains(own, target) {
		return own
	}
	var pkg []string
	for _, d := range packageUnitDirs {
		pkg = append(pkg, "/"+filepath.Join(d, TimerName))
	}
	return pkg
}

func sameTimerLink(got, target string) bool {
	return slices.Contains(timerLinkTargets(target), got)
}

func isTimerLink(got string) bool {
	return sameTimerLink(got, filepath.Join("..", TimerName)) || sameTimerLink(got, "/"+filepath.Join(packageUnitDirs[0], TimerName))
}

func describeMode(m os.FileMode) string {
	switch {
	case m.IsDir():
		return i18n.T("a directory")
	case m&os.ModeSymlink != 0:
		return i18n.T("a symbolic link")
	}
	return i18n.T("a special file (%s)", m.Type())
}

func runSystemctl(args ...string) error {
	out, err := exec.Command("systemctl", args...).CombinedOutput()
	if err != nil {
		return &SystemctlError{Args: args, Output: strings.TrimSpace(string(out)), Err: err}
	}
	return nil
}

// SystemctlError is a systemctl command that failed.
type SystemctlError struct {
	Args   []string
	Output string
	Err    error
}

func (e *SystemctlError) Error() string {
	return fmt.Sprintf("schedule: systemctl %s: %v: %s", strings.Join(e.Args, " "), e.Err, e.Output)
}

func (e *SystemctlError) Unwrap() error { return e.Err }
