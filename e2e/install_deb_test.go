package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// The Debian package as a user gets it: built by make deb, installed
// with apt-get on this machine (as root, as CI runs), then removed.
// It installs the real package, so it refuses to run where httpsify is
// already installed rather than remove someone's copy afterwards.
func TestInstallDeb(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("installs a Debian package: run as root (sudo make test)")
	}
	const bin = "/usr/bin/httpsify"
	if out, err := exec.Command("dpkg-query", "-W", "-f=${Status}", "httpsify").Output(); err == nil && strings.Contains(string(out), "installed") {
		t.Fatalf("the httpsify package is already installed (%s); this test installs and removes it, so remove it first", out)
	}
	if _, err := os.Lstat(bin); err == nil {
		t.Fatalf("%s exists and is not from the package; this test would replace it", bin)
	}

	dist := t.TempDir()
	mustRun(t, exec.Command("make", "-C", "..", "deb", "DIST="+dist, "DEB_ARCHS="+runtime.GOARCH))
	debs, _ := filepath.Glob(filepath.Join(dist, "httpsify_*_"+runtime.GOARCH+".deb"))
	if len(debs) != 1 {
		t.Fatalf("make deb wrote %q", debs)
	}
	// What the package declares is what it needs: nothing.
	fields := mustRun(t, exec.Command("dpkg-deb", "--field", debs[0], "Depends", "Pre-Depends", "Suggests"))
	if strings.Contains(fields, "Depends") || !strings.Contains(fields, "Suggests: nginx") {
		t.Errorf("control fields:\n%s", fields)
	}

	t.Cleanup(func() {
		// dpkg --purge also succeeds when the package is gone already.
		mustRun(t, exec.Command("dpkg", "--purge", "httpsify"))
		if _, err := os.Lstat(bin); err == nil {
			t.Errorf("%s is left behind", bin)
		}
	})
	mustRun(t, apt("install", debs[0]))

	version := mustRun(t, exec.Command(bin, "--version"))
	commit := strings.TrimSpace(mustRun(t, exec.Command("git", "-C", "..", "rev-parse", "HEAD")))
	if !regexp.MustCompile(`^httpsify [0-9]`).MatchString(version) {
		t.Errorf("httpsify --version does not start with the package's version:\n%s", version)
	}
	for _, want := range []string{"commit: " + commit, "lego:   v4."} {
		if !strings.Contains(version, want) {
			t.Errorf("httpsify --version lacks %q:\n%s", want, version)
		}
	}
	// The DNS provider helper: where httpsify looks, root's, and working.
	const helper = "/usr/lib/httpsify/httpsify-dns-provider"
	if !strings.HasSuffix(version, "\n  dns:    "+helper+"\n") {
		t.Errorf("httpsify --version does not find the packaged DNS provider helper %s:\n%s", helper, version)
	}
	helperAnswers(t, helper)
	if page := strings.TrimSpace(mustRun(t, exec.Command("man", "-w", "httpsify"))); page != "/usr/share/man/man8/httpsify.8.gz" {
		t.Errorf("man -w httpsify: %q", page)
	}
	// bash-completion loads the script; it asks the installed binary
	// (cobra's __complete), the only httpsify on this PATH.
	complete := func(words ...string) string {
		script := `source /usr/share/bash-completion/bash_completion
source /usr/share/bash-completion/completions/httpsify
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
__start_httpsify 2>/dev/null
printf '%s\n' "${COMPREPLY[@]}"`
		c := exec.Command("bash", append([]string{"-c", script, "bash"}, words...)...)
		c.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + t.TempDir()}
		return mustRun(t, c)
	}
	if got := complete("httpsify", "apply", "--dom"); strings.TrimSpace(got) != "--domain" {
		t.Errorf("completing --dom: %q", got)
	}
	if got := complete("httpsify", "apply", "--ca", ""); !strings.Contains(got, "letsencrypt-staging") {
		t.Errorf("completing --ca values: %q", got)
	}

	// The renewal units ship for the packaged binary, valid, and disabled.
	units := []string{"/lib/systemd/system/httpsify-renew.service", "/lib/systemd/system/httpsify-renew.timer"}
	verifyUnitFiles(t, "", units...)
	if svc, err := os.ReadFile(units[0]); err != nil || !strings.Contains(string(svc), "\nExecStart="+bin+" renew --from-timer\n") {
		t.Errorf("packaged service does not run %s: %v\n%s", bin, err, svc)
	}
	wants := "/etc/systemd/system/timers.target.wants/httpsify-renew.timer"
	if _, err := os.Lstat(wants); err == nil {
		t.Errorf("installing the package enabled the timer (%s)", wants)
	}
	// Enabled as apply enables the package's timer; remove must not leave
	// the link behind, pointing at a unit that is gone.
	if err := os.MkdirAll(filepath.Dir(wants), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(units[1], wants); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(wants) })

	mustRun(t, apt("remove", "httpsify"))
	for _, gone := range append([]string{bin, wants, helper, filepath.Dir(helper), "/usr/share/man/man8/httpsify.8.gz", "/usr/share/bash-completion/completions/httpsify"}, units...) {
		if _, err := os.Lstat(gone); err == nil {
			t.Errorf("apt-get remove left %s", gone)
		}
	}
}

// verifyUnitFiles runs systemd-analyze verify (it needs no running
// systemd) on units, with root as the file system root ("" is /) so
// that ExecStart is found where the unit would run it. Its warnings
// exit 0, so any output fails too.
func verifyUnitFiles(t *testing.T, root string, units ...string) {
	t.Helper()
	args := []string{"verify", "--man=no"}
	if root != "" {
		args = append(args, "--root="+root)
	}
	out, err := exec.Command("systemd-analyze", append(args, units...)...).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "" {
		t.Errorf("systemd-analyze %s: %v\n%s", strings.Join(append(args, units...), " "), err, out)
	}
}

func apt(verb, pkg string) *exec.Cmd {
	c := exec.Command("apt-get", verb, "-y", "-q", pkg)
	c.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	return c
}

// mustRun runs c and returns its output, failing the test with it when
// c fails.
func mustRun(t *testing.T, c *exec.Cmd) string {
	t.Helper()
	out, err := c.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(c.Args, " "), err, out)
	}
	return string(out)
}
