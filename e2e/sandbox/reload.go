package sandbox

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Reload reloads the sandbox's nginx and returns once the workers of the
// old configuration are gone. nginx -s reload returns as soon as the
// master is signalled; until the old workers exit they may still accept
// a connection and answer it from the old configuration, which under load
// is long enough for a CA's validation request to land there.
func (s *Sandbox) Reload() error {
	master, err := readPID(filepath.Join(s.Dir, "nginx", "nginx.pid"))
	if err != nil {
		return fmt.Errorf("sandbox: nginx pid: %w", err)
	}
	old := workers(master)
	if out, err := exec.Command(s.NginxBin, "-c", s.NginxConf, "-s", "reload").CombinedOutput(); err != nil {
		return fmt.Errorf("sandbox: nginx reload: %v\n%s", err, out)
	}
	for _, pid := range old {
		if !waitGone(pid, 15*time.Second) {
			return fmt.Errorf("sandbox: nginx worker %d of the old configuration did not exit", pid)
		}
	}
	return nil
}

// workers are the master's child processes.
func workers(master int) []int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", master, master))
	if err != nil {
		return nil
	}
	var out []int
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil {
			out = append(out, pid)
		}
	}
	return out
}
