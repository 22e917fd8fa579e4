package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/httpsify/httpsify/e2e/sandbox"
	"github.com/httpsify/httpsify/e2e/tlsgrade"
)

// Measure is one timed run.
type Measure struct {
	Elapsed    time.Duration // command start → site verified from outside
	CmdTime    time.Duration // command start → command exit
	MaxRSSKiB  int64         // peak resident memory (wait4 rusage)
	Milestones []Milestone   // httpsify only: when each step began
	Grade      *tlsgrade.Report
	Redirect   bool // http answers with a redirect to https
	HTTPPort   int
	ACMECalls  int // requests the CA (Pebble) answered during the run
}

// Milestone is an output line and when it appeared.
type Milestone struct {
	At   time.Duration
	Line string
}

// timedRun starts a fresh sandbox in dir, runs the tool against it, and
// waits until the site verifies. grade also scans the result's TLS.
func timedRun(tool, bin, dir string, base int, grade bool) (*Measure, error) {
	sb, err := startSandbox(dir, base)
	if err != nil {
		return nil, err
	}
	defer sb.Stop()
	roots, err := sb.IssuerRoots()
	if err != nil {
		return nil, err
	}
	var cmd *exec.Cmd
	switch tool {
	case "httpsify":
		cmd = exec.Command(bin, append([]string{"apply"}, sb.ApplyArgs()...)...)
	case "certbot":
		cmd = certbotCommand(sb)
	}
	cmd.Env = append(loopbackEnv(), cmd.Env...)
	pebbleLog := filepath.Join(sb.Dir, "logs", "pebble.log")
	before := acmeCalls(pebbleLog)
	m, out, err := timed(cmd, func() error { return verified(sb, roots) })
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, out)
	}
	m.ACMECalls = acmeCalls(pebbleLog) - before
	m.Redirect, m.HTTPPort = redirects(sb), sb.HTTPPort
	if grade {
		if m.Grade, err = tlsgrade.Scan(context.Background(), sb.HTTPSPort, sb.Domain, roots); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// startSandbox retries once on a busy port (a loopback connection in
// TIME_WAIT can hold one of ours for a minute).
func startSandbox(dir string, base int) (*sandbox.Sandbox, error) {
	sb, err := sandbox.Start(sandbox.Options{Dir: dir, BasePort: base})
	if err != nil && strings.Contains(err.Error(), "is busy") {
		sb, err = sandbox.Start(sandbox.Options{Dir: dir, BasePort: base + 100})
	}
	return sb, err
}

// certbotCommand is certbot's nginx plugin pointed at the sandbox: its
// own nginx.conf and binary, the sandbox's ports, Pebble as the CA
// (trusted through REQUESTS_CA_BUNDLE), and every directory under the
// sandbox's state so each run starts fresh and nothing of the host's
// /etc/letsencrypt is read or written.
func certbotCommand(sb *sandbox.Sandbox) *exec.Cmd {
	home := filepath.Join(sb.StateDir, "certbot")
	os.MkdirAll(home, 0o755)
	ini := filepath.Join(home, "cli.ini")
	os.WriteFile(ini, nil, 0o644) // not the host's /etc/letsencrypt/cli.ini
	cmd := exec.Command("certbot", "--nginx", "-c", ini,
		"--server", sb.CADirURL,
		"--nginx-server-root", filepath.Dir(sb.NginxConf),
		"--nginx-ctl", sb.NginxBin,
		"--http-01-port", strconv.Itoa(sb.HTTPPort),
		"--https-port", strconv.Itoa(sb.HTTPSPort),
		"-d", sb.Domain,
		"--non-interactive", "--agree-tos", "-m", "demo@example.test", "--no-eff-email",
		"--redirect",
		"--config-dir", filepath.Join(home, "config"),
		"--work-dir", filepath.Join(home, "work"),
		"--logs-dir", filepath.Join(home, "logs"),
		"--no-random-sleep-on-renew",
	)
	cmd.Env = []string{"REQUESTS_CA_BUNDLE=" + sb.CARootFile, "HOME=" + home}
	return cmd
}

// loopbackEnv is the environment without proxy settings: every request
// goes to 127.0.0.1 directly.
func loopbackEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !strings.HasSuffix(strings.ToLower(k), "_proxy") {
			env = append(env, kv)
		}
	}
	return env
}

// timed runs cmd, timestamps each line it prints, and after it exits 0
// polls check until it passes (up to 15 s): that moment ends Elapsed.
func timed(cmd *exec.Cmd, check func() error) (*Measure, string, error) {
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	m := &Measure{}
	var out strings.Builder
	lines := make(chan struct{})
	start := time.Now()
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			m.Milestones = append(m.Milestones, Milestone{At: time.Since(start), Line: sc.Text()})
			out.WriteString(sc.Text() + "\n")
		}
		close(lines)
	}()
	err := cmd.Run()
	pw.Close()
	<-lines
	m.CmdTime = time.Since(start)
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			m.MaxRSSKiB = ru.Maxrss // KiB on Linux
		}
	}
	if err != nil {
		return nil, out.String(), fmt.Errorf("%s: %w", cmd.Args[0], err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := check()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			return nil, out.String(), fmt.Errorf("the site never verified after %s exited: %w", cmd.Args[0], err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	m.Elapsed = time.Since(start)
	return m, out.String(), nil
}

// verified: https on the site's port serves a chain trusted by Pebble's
// root for the domain, and the request reaches the app.
func verified(sb *sandbox.Sandbox, roots []byte) error {
	c := sb.HTTPSClient(roots)
	c.Timeout = 3 * time.Second
	resp, err := c.Get(fmt.Sprintf("https://%s:%d/", sb.Domain, sb.HTTPSPort))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Hello from the demo app") {
		return fmt.Errorf("https / = %s", resp.Status)
	}
	return nil
}

// acmeCalls counts the ACME requests Pebble has logged so far.
func acmeCalls(log string) int {
	b, _ := os.ReadFile(log)
	return strings.Count(string(b), "-> calling handler()")
}

// redirects: http answers 301/308 towards https.
func redirects(sb *sandbox.Sandbox) bool {
	resp, err := sb.HTTPClient().Get(fmt.Sprintf("http://%s:%d/", sb.Domain, sb.HTTPPort))
	if err != nil {
		return false
	}
	resp.Body.Close()
	return (resp.StatusCode == 301 || resp.StatusCode == 308) && strings.HasPrefix(resp.Header.Get("Location"), "https://")
}

// startup times `name args` (after warm-up runs), median of 30.
func startup(name string, args ...string) (time.Duration, error) {
	var ds []time.Duration
	for i := 0; i < 33; i++ {
		start := time.Now()
		if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
			return 0, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		if i >= 3 {
			ds = append(ds, time.Since(start))
		}
	}
	return median(ds), nil
}
