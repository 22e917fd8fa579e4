package nginx

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/httpsify/httpsify/provision"
)

// Nginx runs the nginx binary against one main configuration file. Every
// command passes -c so a private instance is never confused with the
// system one.
type Nginx struct {
	Bin  string
	Conf string
}

// Version is an nginx version as major.minor.patch.
type Version struct{ Major, Minor, Patch int }

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// AtLeast reports whether v >= major.minor.patch.
func (v Version) AtLeast(major, minor, patch int) bool {
	if v.Major != major {
		return v.Major > major
	}
	if v.Minor != minor {
		return v.Minor > minor
	}
	return v.Patch >= patch
}

// HTTP2Directive reports whether this nginx wants `http2 on;` (1.25.1+)
// rather than the `http2` listen parameter.
func (v Version) HTTP2Directive() bool { return v.AtLeast(1, 25, 1) }

var versionRE = regexp.MustCompile(`nginx/(\d+)\.(\d+)\.(\d+)`)

// Version asks the binary for its version (nginx -v prints to stderr).
func (n Nginx) Version(ctx context.Context) (Version, error) {
	out, err := command(ctx, n.Bin, "-v").CombinedOutput()
	if err != nil {
		return Version{}, fmt.Errorf("%s -v: %v: %s", n.Bin, err, bytes.TrimSpace(out))
	}
	m := versionRE.FindSubmatch(out)
	if m == nil {
		return Version{}, fmt.Errorf("cannot read the nginx version from %q", bytes.TrimSpace(out))
	}
	var v Version
	v.Major, _ = strconv.Atoi(string(m[1]))
	v.Minor, _ = strconv.Atoi(string(m[2]))
	v.Patch, _ = strconv.Atoi(string(m[3]))
	return v, nil
}

// Dump returns `nginx -T` output: every file nginx reads, as it reads them.
func (n Nginx) Dump(ctx context.Context) ([]byte, error) {
	cmd := command(ctx, n.Bin, "-T", "-q", "-c", n.Conf)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, &CheckError{Command: n.command("-T"), Output: errorLines(stderr.String())}
	}
	return out, nil
}

// Test runs `nginx -t`; on failure the error carries nginx's own lines.
func (n Nginx) Test(ctx context.Context) (string, error) {
	out, err := command(ctx, n.Bin, "-t", "-c", n.Conf).CombinedOutput()
	if err != nil {
		return string(out), &CheckError{Command: n.command("-t"), Output: errorLines(string(out))}
	}
	return string(out), nil
}

// errorLines keeps what nginx said that matters (emerg/error lines, or all).
func errorLines(out string) string {
	var keep []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.Contains(l, "[emerg]") || strings.Contains(l, "[error]") || strings.Contains(l, "[crit]") || strings.Contains(l, "failed") {
			keep = append(keep, l)
		}
	}
	if len(keep) == 0 {
		return strings.TrimSpace(out)
	}
	return strings.Join(keep, "\n")
}

func (n Nginx) command(args ...string) string {
	return strings.Join(append(append([]string{n.Bin}, args...), "-c", n.Conf), " ")
}

// System reports whether this is the distribution's nginx, managed by the
// init system, rather than a private instance.
func (n Nginx) System() bool { return filepath.Clean(n.Conf) == provision.DefaultNginxConf }

// PID returns the master's pid from the pid file, or 0 when it is not running.
func (n Nginx) PID(pidFile string) int {
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	if syscall.Kill(pid, 0) != nil {
		return 0
	}
	return pid
}

// ReloadCommand is the command Reload runs, for plans and dry runs.
func (n Nginx) ReloadCommand(running bool) []string {
	if !running {
		if n.System() && haveCmd("systemctl") && systemdRunning() {
			return []string{"systemctl", "start", "nginx"}
		}
		return []string{n.Bin, "-c", n.Conf}
	}
	if n.System() {
		if haveCmd("systemctl") && systemdRunning() {
			return []string{"systemctl", "reload", "nginx"}
		}
		if haveCmd("service") {
			return []string{"service", "nginx", "reload"}
		}
	}
	return []string{n.Bin, "-c", n.Conf, "-s", "reload"}
}

// Reload makes the running nginx load the new config, or starts it.
func (n Nginx) Reload(ctx context.Context, running bool) error {
	argv := n.ReloadCommand(running)
	out, err := command(ctx, argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		return &CheckError{Command: strings.Join(argv, " "), Output: strings.TrimSpace(string(out)) + " (" + err.Error() + ")"}
	}
	return nil
}

func haveCmd(name string) bool {
	_, err := exec.LookPath(name)
	return err == nil
}

func systemdRunning() bool {
	_, err := os.Stat("/run/systemd/system")
	return err == nil
}
