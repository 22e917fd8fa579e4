// Command sandbox runs the e2e sandbox (private nginx + demo app + Pebble +
// challtestsrv) in the foreground for demos and manual testing:
//
//	sandbox up --dir D [--base-port N] [--domain NAME] [--bind [--zone ZONE]]
//	sandbox down --dir D
//
// `up` writes D/sandbox.env for shells to source and stays until SIGINT or
// SIGTERM; `down` signals it through D/sandbox.pid. --bind adds BIND 9 as
// the zone's authoritative server (Pebble resolves through it); sandbox.env
// then also has lego's DNSUPDATE_* variables for its rfc2136 provider.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "up":
		err = up(os.Args[2:])
	case "down":
		err = down(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sandbox:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: sandbox up --dir D [--base-port N] [--domain NAME] [--bind [--zone ZONE]]\n       sandbox down --dir D")
	os.Exit(2)
}

func up(args []string) error {
	fs := flag.NewFlagSet("up", flag.ExitOnError)
	dir := fs.String("dir", "", "working directory (required)")
	base := fs.Int("base-port", sandbox.DefaultBasePort, "first of 7 consecutive ports")
	domain := fs.String("domain", sandbox.DefaultDomain, "site name")
	bind := fs.Bool("bind", false, "run BIND 9 as the zone's authoritative server, with RFC 2136 updates; Pebble resolves through it")
	zone := fs.String("zone", sandbox.DefaultZone, "BIND's zone (with --bind); the site name must be in it")
	fs.Parse(args)
	if *dir == "" {
		return errors.New("up: --dir is required")
	}
	pidFile := filepath.Join(*dir, "sandbox.pid")
	if pid, err := readPID(pidFile); err == nil && isUp(pid) {
		return fmt.Errorf("up: already running (pid %d); run: sandbox down --dir %s", pid, *dir)
	}
	// Catch signals before starting so an early Ctrl-C still cleans up.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	s, err := sandbox.Start(sandbox.Options{Dir: *dir, BasePort: *base, Domain: *domain, BIND: *bind, Zone: *zone})
	if err != nil {
		return err
	}
	defer func() {
		if err := s.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "sandbox: stop:", err)
		}
		os.Remove(pidFile)
		os.Remove(filepath.Join(s.Dir, "sandbox.env"))
		fmt.Println("sandbox stopped")
	}()
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return err
	}
	if err := writeEnv(s); err != nil {
		return err
	}
	fmt.Printf("sandbox ready: http://%s:%d/ (env: %s)\n", s.Domain, s.HTTPPort, filepath.Join(s.Dir, "sandbox.env"))
	<-ctx.Done()
	return nil
}

// writeEnv writes sandbox.env for `. sandbox.env`. HTTPSIFY_ARGS is meant to
// be word-split unquoted ($HTTPSIFY_ARGS), so no argument may hold spaces.
func writeEnv(s *sandbox.Sandbox) error {
	roots, err := s.IssuerRoots()
	if err != nil {
		return err
	}
	rootFile := filepath.Join(s.Dir, "issuer-root.pem")
	if err := os.WriteFile(rootFile, roots, 0o644); err != nil {
		return err
	}
	args := s.ApplyArgs()
	for _, a := range args {
		if strings.ContainsAny(a, " \t\n'\"\\$`") {
			return fmt.Errorf("httpsify argument %q has spaces or shell characters; use a simpler --dir", a)
		}
	}
	vars := []struct{ k, v string }{
		{"HTTPSIFY_ARGS", strings.Join(args, " ")},
		{"DOMAIN", s.Domain},
		{"HTTP_PORT", strconv.Itoa(s.HTTPPort)},
		{"HTTPS_PORT", strconv.Itoa(s.HTTPSPort)},
		{"ISSUER_ROOT", rootFile},
		{"CA_ROOT", s.CARootFile},
		{"NGINX_CONF", s.NginxConf},
		{"SITE_FILE", s.SiteFile},
		{"STATE_DIR", s.StateDir},
	}
	if b := s.BIND; b != nil {
		// lego's rfc2136 variables; the secret stays in the 0600 key file.
		vars = append(vars, []struct{ k, v string }{
			{"BIND_ZONE", b.Zone},
			{"DNSUPDATE_NAMESERVER", b.Addr},
			{"DNSUPDATE_TSIG_FILE", b.KeyFile},
		}...)
	}
	var b strings.Builder
	for _, kv := range vars {
		fmt.Fprintf(&b, "export %s='%s'\n", kv.k, kv.v)
	}
	// Write then rename: scripts poll for this file and must never see half.
	tmp := filepath.Join(s.Dir, ".sandbox.env.tmp")
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(s.Dir, "sandbox.env"))
}

func down(args []string) error {
	fs := flag.NewFlagSet("down", flag.ExitOnError)
	dir := fs.String("dir", "", "working directory of the running sandbox (required)")
	fs.Parse(args)
	if *dir == "" {
		return errors.New("down: --dir is required")
	}
	pid, err := readPID(filepath.Join(*dir, "sandbox.pid"))
	if err == nil && isUp(pid) && syscall.Kill(pid, syscall.SIGTERM) == nil {
		deadline := time.Now().Add(60 * time.Second)
		for isUp(pid) {
			if time.Now().After(deadline) {
				return fmt.Errorf("down: sandbox (pid %d) still running after 60s", pid)
			}
			time.Sleep(100 * time.Millisecond)
		}
	} else {
		fmt.Println("sandbox: no running `sandbox up` found; cleaning up leftovers")
	}
	// Covers an `up` that was SIGKILLed and left its daemons behind.
	return sandbox.StopDir(*dir)
}

func readPID(file string) (int, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

// isUp reports whether pid is a live `sandbox up` (not a zombie, and not
// an unrelated process that got a recycled pid).
func isUp(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	if i := strings.LastIndexByte(string(stat), ')'); i >= 0 && i+2 < len(stat) && stat[i+2] == 'Z' {
		return false
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	argv := strings.Split(string(cmdline), "\x00")
	return err == nil && len(argv) > 1 && argv[1] == "up"
}
