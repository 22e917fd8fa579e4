package sandbox

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// proc is a child process we started (Pebble, challtestsrv). It runs in its
// own process group so a Ctrl-C on the terminal reaches only us, and we
// decide the shutdown order.
type proc struct {
	name    string
	cmd     *exec.Cmd
	logFile string
	pidFile string
	done    chan struct{}
}

// startProc starts bin with args, logging to Dir/logs/<name>.log and recording
// its pid in Dir/run/<name>.pid (so StopDir can clean up after a crash).
func (s *Sandbox) startProc(name, bin string, args, env []string) (*proc, error) {
	logFile := filepath.Join(s.Dir, "logs", name+".log")
	f, err := os.Create(logFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cmd := exec.Command(bin, args...)
	cmd.Dir = s.Dir
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Env = append(childEnv(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("sandbox: starting %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, logFile: logFile, pidFile: filepath.Join(s.Dir, "run", name+".pid"), done: make(chan struct{})}
	go func() { cmd.Wait(); close(p.done) }()
	if err := os.WriteFile(p.pidFile, []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644); err != nil {
		return p, err
	}
	return p, nil
}

// childEnv is our environment minus proxy settings: every request in the
// sandbox goes to loopback, never through a proxy.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasSuffix(strings.ToLower(k), "_proxy") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends SIGTERM to the group, then SIGKILL after a grace period.
func (p *proc) stop() error {
	defer os.Remove(p.pidFile)
	if p.exited() {
		return nil
	}
	pid := p.cmd.Process.Pid
	syscall.Kill(-pid, syscall.SIGTERM)
	select {
	case <-p.done:
		return nil
	case <-time.After(5 * time.Second):
	}
	syscall.Kill(-pid, syscall.SIGKILL)
	select {
	case <-p.done:
		return nil
	case <-time.After(5 * time.Second):
		return fmt.Errorf("sandbox: %s (pid %d) did not exit", p.name, pid)
	}
}

// waitTCP waits until addr accepts connections, or the process dies, or the
// deadline passes; errors carry the tail of the process log.
func waitTCP(name, addr, logFile string, dead func() bool) error {
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 500*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		if dead != nil && dead() {
			return fmt.Errorf("sandbox: %s exited before listening on %s; log %s:\n%s", name, addr, logFile, tail(logFile))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sandbox: %s not listening on %s after 20s: %v; log %s:\n%s", name, addr, err, logFile, tail(logFile))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// tail returns the last lines of a log file for error messages.
func tail(file string) string {
	b, err := os.ReadFile(file)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return strings.Join(lines, "\n")
}

// checkPortsFree fails early with a clear message instead of letting a
// daemon die on "address already in use".
func (s *Sandbox) checkPortsFree() error {
	ports := []int{s.HTTPPort, s.HTTPSPort, s.acmePort, s.pebbleMgmtPort, s.dnsPort, s.challMgmtPort}
	udp := []int{s.dnsPort}
	if s.bindPort != 0 {
		ports, udp = append(ports, s.bindPort), append(udp, s.bindPort)
	}
	for _, p := range ports {
		l, err := net.Listen("tcp", ":"+strconv.Itoa(p))
		if err != nil {
			return fmt.Errorf("sandbox: port %d is busy (ports %d-%d are needed; pick another BasePort or stop the other sandbox): %w", p, ports[0], ports[len(ports)-1], err)
		}
		l.Close()
	}
	for _, p := range udp {
		u, err := net.ListenPacket("udp", "127.0.0.1:"+strconv.Itoa(p))
		if err != nil {
			return fmt.Errorf("sandbox: udp port %d is busy: %w", p, err)
		}
		u.Close()
	}
	return nil
}

// makeTraversable lets other users (nginx workers run as nobody) walk down
// to dir. It only relaxes directories under the temp dir (t.TempDir() makes
// 0700 ones); elsewhere it reports what to chmod instead of doing it.
func makeTraversable(dir string) error {
	if os.Geteuid() != 0 {
		return nil // workers run as us
	}
	tmp, _ := filepath.Abs(os.TempDir())
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o001 == 0 {
			if !strings.HasPrefix(d, tmp+string(filepath.Separator)) {
				return fmt.Errorf("sandbox: nginx workers (user nobody) cannot enter %s; chmod o+x it or use a dir under %s", d, tmp)
			}
			if err := os.Chmod(d, fi.Mode().Perm()|0o011); err != nil {
				return err
			}
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// processGone reports whether pid no longer runs. A zombie counts as gone:
// daemonized nginx is reparented to PID 1, which may never reap it.
func processGone(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	// Fields after the ")" that closes the command name: state is first.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+2 >= len(b) {
		return false
	}
	return b[i+2] == 'Z' || b[i+2] == 'X'
}

// pidIsOurs guards against pid reuse: the pid from a stale file must still
// be the program we started, for this dir (in its argv, e.g. -c or -config,
// or as its working directory).
func pidIsOurs(pid int, name, dir string) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil || !bytes.Contains(b, []byte(name)) {
		return false
	}
	if bytes.Contains(b, []byte(dir+string(filepath.Separator))) {
		return true
	}
	cwd, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/cwd")
	if err != nil {
		return false
	}
	real, _ := filepath.EvalSymlinks(dir)
	return cwd == dir || cwd == real
}

func readPID(file string) (int, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

func waitGone(pid int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for !processGone(pid) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
	return true
}
