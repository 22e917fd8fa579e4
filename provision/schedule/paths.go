package schedule

import (
	"os"
	"path/filepath"
	"strings"
)

// Names of what this package installs, relative to the root.
const (
	TimerName   = "httpsify-renew.timer"
	ServiceName = "httpsify-renew.service"
	unitDir     = "etc/systemd/system"
	wantsDir    = "etc/systemd/system/timers.target.wants"
	cronDir     = "etc/cron.d"
	cronName    = "httpsify-renew"
	systemdRun  = "run/systemd/system" // exists only while systemd is PID 1
)

// packageUnitDirs is where a distribution package puts units (the
// Debian package ships them in the first), in the order they are tried.
var packageUnitDirs = []string{"lib/systemd/system", "usr/lib/systemd/system"}

type paths struct{ root string }

func (p paths) join(rel string) string { return filepath.Join(p.root, rel) }
func (p paths) service() string        { return p.join(filepath.Join(unitDir, ServiceName)) }
func (p paths) timer() string          { return p.join(filepath.Join(unitDir, TimerName)) }
func (p paths) wantsLink() string      { return p.join(filepath.Join(wantsDir, TimerName)) }
func (p paths) cron() string           { return p.join(filepath.Join(cronDir, cronName)) }
func (p paths) cronDirExists() bool    { return isDir(p.join(cronDir)) }
func (p paths) systemdRunning() bool   { return isDir(p.join(systemdRun)) }
func (p paths) wantsTarget() string    { return filepath.Join("..", TimerName) }
func (p paths) isRealSystem() bool     { return p.root == "/" }
func isDir(path string) bool           { fi, err := os.Stat(path); return err == nil && fi.IsDir() }
func newPaths(root string) paths {
	if root == "" {
		root = "/"
	}
	return paths{root: filepath.Clean(root)}
}

// Detect says which scheduler Auto picks under root ("" is /): systemd
// when it runs (sd_booted's test: /run/systemd/system exists), else cron
// when /etc/cron.d exists, else None.
func Detect(root string) Mode {
	p := newPaths(root)
	switch {
	case p.systemdRunning():
		return Systemd
	case p.cronDirExists():
		return Cron
	}
	return None
}

// packagedUnits finds the service and timer a package installed under
// the root whose service runs bin, and says in which directory
// (relative to the root). Units for another binary are not ours to
// enable: Install then writes its own copy, as without a package.
func (p paths) packagedUnits(bin string) (string, bool) {
	for _, d := range packageUnitDirs {
		svc, err := os.ReadFile(p.join(filepath.Join(d, ServiceName)))
		if err != nil || !isRegular(p.join(filepath.Join(d, TimerName))) {
			continue
		}
		if execBinary(svc) == bin {
			return d, true
		}
	}
	return "", false
}

func isRegular(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// execBinary is the program of the service's first ExecStart= line.
func execBinary(unit []byte) string {
	for _, line := range strings.Split(string(unit), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "ExecStart="); ok {
			if f := strings.Fields(v); len(f) > 0 {
				return f[0]
			}
		}
	}
	return ""
}
