package nginx

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"time"
)

// `nginx -s reload` returns as soon as the master has the signal. The
// workers of the old configuration go on accepting connections until
// each one handles its QUIT, measured here at up to ~150 ms after the
// new configuration first answered, and longer when two reloads follow
// each other (a recovery, then the challenge edit). A CA validating in
// that window reads the old config and fails the authorization.
//
// A worker renames itself "worker process is shutting down" right before
// it closes its listening sockets, so the reload has settled when every
// process the master had before the reload is gone or says so.

// masterChildren lists the pids whose parent is the master named in
// pidFile: its workers and cache processes. Nil when nginx is not running.
func masterChildren(n Nginx, pidFile string) []int {
	master := n.PID(pidFile)
	if master == 0 {
		return nil
	}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var kids []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, ok := parentOf(pid); ok && ppid == master {
			kids = append(kids, pid)
		}
	}
	return kids
}

// parentOf reads the ppid from /proc/PID/stat (the field after the state,
// which follows the ")" closing the command name).
func parentOf(pid int) (int, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 2 {
		return 0, false
	}
	ppid, err := strconv.Atoi(f[1])
	return ppid, err == nil
}

// retired reports whether pid no longer accepts connections for the
// master: gone, a zombie, or a worker shutting down.
func retired(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) && (stat[i+2] == 'Z' || stat[i+2] == 'X') {
		return true
	}
	cmd, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return true
	}
	return !bytes.Contains(cmd, []byte("worker process")) || bytes.Contains(cmd, []byte("shutting down"))
}

// waitRetired waits up to timeout for every pid in old to retire. A
// reload nginx refused (it keeps its old workers) runs into the timeout;
// verification then reports what is served.
func waitRetired(ctx context.Context, old []int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		all := true
		for _, pid := range old {
			if !retired(pid) {
				all = false
				break
			}
		}
		if all {
			return true
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}
