package lock

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const envChild = "HTTPSIFY_LOCK_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(envChild); dir != "" {
		holdLock(dir)
	}
	os.Exit(m.Run())
}

// holdLock is the child: take the lock, say so, hold it until stdin closes.
func holdLock(dir string) {
	l, err := Acquire(dir, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin)
	if err := l.Release(); err != nil {
		os.Exit(4)
	}
	os.Exit(0)
}

// child is a running holder process.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

func startHolder(t *testing.T, dir string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envChild+"="+dir)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	must(t, err)
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	c := &child{cmd: cmd, stdin: stdin}
	t.Cleanup(func() { c.stdin.Close(); c.cmd.Process.Kill(); c.cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "locked\n" {
		t.Fatalf("child: %q, %v", line, err)
	}
	return c
}

// release makes the child release the lock and exit cleanly.
func (c *child) release(t *testing.T) {
	c.stdin.Close()
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestBusyNamesHolderPID(t *testing.T) {
	dir := t.TempDir()
	c := startHolder(t, dir)
	_, err := Acquire(dir, 0)
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("Acquire: %v, want ErrBusy", err)
	}
	pid := strconv.Itoa(c.cmd.Process.Pid)
	if !strings.Contains(err.Error(), "PID "+pid) || !strings.Contains(err.Error(), "another httpsify run") {
		t.Errorf("error does not name holder PID %s: %v", pid, err)
	}
	c.release(t)
	l, err := Acquire(dir, 0)
	must(t, err)
	must(t, l.Release())
}

func TestWaitSucceedsWhenHolderReleases(t *testing.T) {
	dir := t.TempDir()
	c := startHolder(t, dir)
	time.AfterFunc(300*time.Millisecond, func() { c.stdin.Close() })
	start := time.Now()
	l, err := Acquire(dir, 10*time.Second)
	must(t, err)
	defer l.Release()
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("acquired after %v, before the holder released", d)
	}
}

func TestWaitTimesOut(t *testing.T) {
	dir := t.TempDir()
	startHolder(t, dir)
	start := time.Now()
	_, err := Acquire(dir, 300*time.Millisecond)
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("Acquire: %v", err)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("gave up after %v", d)
	}
}

// A holder killed outright (no Release) does not leave a stale lock.
func TestHolderKilled(t *testing.T) {
	dir := t.TempDir()
	c := startHolder(t, dir)
	must(t, c.cmd.Process.Signal(syscall.SIGKILL))
	c.cmd.Wait()
	l, err := Acquire(dir, 0)
	must(t, err)
	must(t, l.Release())
}

func TestSameProcessTwice(t *testing.T) {
	dir := t.TempDir()
	l, err := Acquire(dir, 0)
	must(t, err)
	if _, err := Acquire(dir, 0); !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), strconv.Itoa(os.Getpid())) {
		t.Errorf("second Acquire: %v", err)
	}
	must(t, l.Release())
	must(t, l.Release()) // idempotent
	l, err = Acquire(dir, 0)
	must(t, err)
	must(t, l.Release())
}

func TestModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "state")
	l, err := Acquire(dir, 0)
	must(t, err)
	defer l.Release()
	for p, want := range map[string]os.FileMode{dir: 0o755, filepath.Join(dir, "lock"): 0o600} {
		fi, err := os.Stat(p)
		must(t, err)
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), want)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "lock"))
	must(t, err)
	if strings.TrimSpace(string(data)) != strconv.Itoa(os.Getpid()) {
		t.Errorf("lock file holds %q", data)
	}
}
