package schedule

import (
	"os"
	"path/filepath"
	"regexp"
)

// Installed says whether a schedule this package installs is in place
// under root ("" is /): the cron file, or the timer enabled (our copy or
// a package's); and which state dir it renews ("" is renew's default).
func Installed(root string) (installed bool, stateDir string) {
	p := newPaths(root)
	if b, err := os.ReadFile(p.cron()); err == nil {
		return true, stateDirArg(b)
	}
	if b, err := os.ReadFile(p.service()); err == nil {
		return true, stateDirArg(b)
	}
	link, err := os.Readlink(p.wantsLink())
	if err != nil {
		return false, ""
	}
	// A package's timer: its service sits beside it.
	dir := filepath.Dir(link)
	if !filepath.IsAbs(link) {
		dir = filepath.Join(filepath.Dir(p.wantsLink()), dir)
	} else {
		dir = p.join(dir)
	}
	if b, err := os.ReadFile(filepath.Join(dir, ServiceName)); err == nil {
		return true, stateDirArg(b)
	}
	return true, ""
}

// stateDirFlag finds `renew … --state-dir DIR` in a unit's ExecStart or
// the cron line (DIR as Options.StateDir allows it: no quoting).
var stateDirFlag = regexp.MustCompile(`(?m) renew --from-timer --state-dir (/[A-Za-z0-9/._+-]*)`)

func stateDirArg(b []byte) string {
	if m := stateDirFlag.FindSubmatch(b); m != nil {
		return string(m[1])
	}
	return ""
}

// PlanRemove says what Remove would do, writing nothing.
func PlanRemove(o Options) (Result, error) {
	a := &applier{p: newPaths(o.Root), dry: true, systemctl: runSystemctl}
	r := Result{Mode: None, Planned: true}
	err := a.removeSystemd()
	if err == nil {
		err = a.removeCron()
	}
	r.Actions = a.actions
	return r, err
}
