// Package lock makes sure only one httpsify run changes a server at a time.
package lock

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/statedir"
	"golang.org/x/sys/unix"
)

// ErrBusy is wrapped by Acquire's error when another process holds the lock.
var ErrBusy error = busy{}

// busy reads in the user's language when it is shown.
type busy struct{}

func (busy) Error() string { return i18n.T("another httpsify run is in progress") }

// pollInterval is how often a waiting Acquire retries.
const pollInterval = 100 * time.Millisecond

// Lock is a held lock; Release it when the run ends. The kernel also drops
// it when the process dies, so a crash never leaves a stale lock.
type Lock struct {
	f    *os.File
	path string
}

// Acquire takes an exclusive flock on <stateDir>/lock, waiting up to wait
// (0: don't wait). The holder's PID is written into the file so a busy
// error can name it.
func Acquire(stateDir string, wait time.Duration) (*Lock, error) {
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	path := statedir.Layout(stateDir).Lock()
	// Go opens with O_CLOEXEC, so children such as `nginx -s reload` do not
	// inherit (and prolong) the lock. O_NOFOLLOW: never lock through a link.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	deadline := time.Now().Add(wait)
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			break
		}
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if !errors.Is(err, unix.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		left := time.Until(deadline)
		if left <= 0 {
			holder := holderPID(f)
			f.Close()
			return nil, busyError(path, holder, wait)
		}
		time.Sleep(min(pollInterval, left))
	}
	l := &Lock{f: f, path: path}
	if err := l.writePID(); err != nil {
		l.Release()
		return nil, fmt.Errorf("lock %s: record PID: %w", path, err)
	}
	return l, nil
}

// Release drops the lock. The file stays: removing a lock file lets two
// processes lock two different inodes of the same name.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	terr := l.f.Truncate(0) // no stale PID for the next reader
	uerr := unix.Flock(int(l.f.Fd()), unix.LOCK_UN)
	cerr := l.f.Close()
	l.f = nil
	if err := errors.Join(terr, uerr, cerr); err != nil {
		return fmt.Errorf("lock %s: release: %w", l.path, err)
	}
	return nil
}

func (l *Lock) writePID() error {
	if err := l.f.Truncate(0); err != nil {
		return err
	}
	if _, err := l.f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0); err != nil {
		return err
	}
	return l.f.Sync()
}

// holderPID reads the PID the holder wrote; 0 if it has not written it yet.
func holderPID(f *os.File) int {
	buf := make([]byte, 32)
	n, _ := f.ReadAt(buf, 0)
	pid, err := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

func busyError(path string, pid int, waited time.Duration) error {
	who := i18n.T("another process (PID not recorded yet)")
	if pid > 0 {
		who = "PID " + strconv.Itoa(pid)
	}
	msg := i18n.T("lock %s is held by %s", path, who)
	if waited > 0 {
		msg += i18n.T(" (waited %s)", waited)
	}
	return fmt.Errorf("%w: %s", ErrBusy, msg)
}
