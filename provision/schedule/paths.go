package schedule

import (
	"os"
	"path/filepath"
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
