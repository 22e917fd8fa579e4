package e2e

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// make install puts the binary, man pages, completions and the renewal
// units where the system looks for them, under DESTDIR; make uninstall
// takes exactly those away again. PREFIX is a directory of the test's
// own, so the staged tree can be put in place (as a packager would) for
// systemd-analyze to find the binary the units run.
func TestMakeInstallUninstall(t *testing.T) {
	dest, dist, prefix := t.TempDir(), t.TempDir(), t.TempDir()
	mk := func(target string) {
		mustRun(t, exec.Command("make", "-C", "..", target, "DESTDIR="+dest, "DIST="+dist, "PREFIX="+prefix))
	}
	files := func() []string {
		var out []string
		filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				out = append(out, strings.TrimPrefix(p, dest+prefix))
			}
			return nil
		})
		return out
	}

	mk("install")
	got := files()
	for _, want := range []string{
		"/bin/httpsify",
		"/lib/httpsify/httpsify-dns-provider",
		"/share/man/man8/httpsify.8",
		"/share/man/man8/httpsify-apply.8",
		"/share/bash-completion/completions/httpsify",
		"/share/zsh/site-functions/_httpsify",
		"/share/fish/vendor_completions.d/httpsify.fish",
		"/lib/systemd/system/httpsify-renew.service",
		"/lib/systemd/system/httpsify-renew.timer",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("make install did not write %s; it wrote %q", want, got)
		}
	}
	if v := mustRun(t, exec.Command(dest+prefix+"/bin/httpsify", "--version")); !regexp.MustCompile(`^httpsify [0-9]`).MatchString(v) {
		t.Errorf("the installed binary has no release version:\n%s", v)
	} else if helper := dest + prefix + "/lib/httpsify/httpsify-dns-provider"; !strings.Contains(v+"\n", "\n  dns:    "+helper+"\n") {
		t.Errorf("the installed binary does not find its DNS provider helper %s:\n%s", helper, v)
	}
	helperAnswers(t, dest+prefix+"/lib/httpsify/httpsify-dns-provider")
	if page := strings.TrimSpace(mustRun(t, exec.Command("man", "-M", dest+prefix+"/share/man", "-w", "httpsify"))); page != dest+prefix+"/share/man/man8/httpsify.8" {
		t.Errorf("man -w httpsify under DESTDIR: %q", page)
	}

	// The units run $(BINDIR)/httpsify, not the staged copy, and are valid
	// once the binary is in place there.
	units := dest + prefix + "/lib/systemd/system/"
	if svc := readFileString(t, units+"httpsify-renew.service"); !strings.Contains(svc, "\nExecStart="+prefix+"/bin/httpsify renew --from-timer\n") {
		t.Errorf("installed service does not run %s/bin/httpsify:\n%s", prefix, svc)
	}
	if err := os.MkdirAll(prefix+"/bin", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dest+prefix+"/bin/httpsify", prefix+"/bin/httpsify"); err != nil {
		t.Fatal(err)
	}
	verifyUnitFiles(t, "", units+"httpsify-renew.service", units+"httpsify-renew.timer")

	mk("uninstall")
	if left := files(); len(left) > 0 {
		t.Errorf("make uninstall left %q", left)
	}
}

func readFileString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
