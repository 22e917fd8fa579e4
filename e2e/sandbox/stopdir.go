package sandbox

import (
	"errors"
	"path/filepath"
	"syscall"
	"time"
)

// StopDir stops processes that a sandbox in dir left behind (a test binary or
// `sandbox up` that was killed), found through their pid files. Pids are
// checked against /proc first, so a recycled pid is never signalled.
// Start calls it, so a new run in the same dir cleans up after an old one.
func StopDir(dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	var errs []error
	if pid, err := readPID(filepath.Join(dir, "nginx", "nginx.pid")); err == nil && !processGone(pid) && pidIsOurs(pid, "nginx", dir) {
		syscall.Kill(pid, syscall.SIGQUIT)
		if err := killNginx(pid); err != nil {
			errs = append(errs, err)
		}
	}
	for _, name := range []string{"pebble", "challtestsrv", "named"} {
		pid, err := readPID(filepath.Join(dir, "run", name+".pid"))
		if err != nil || processGone(pid) || !pidIsOurs(pid, name, dir) {
			continue
		}
		syscall.Kill(-pid, syscall.SIGTERM)
		if !waitGone(pid, 5*time.Second) {
			syscall.Kill(-pid, syscall.SIGKILL)
			waitGone(pid, 5*time.Second)
		}
	}
	return errors.Join(errs...)
}
