package e2e

import (
	"io/fs"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// make install puts the binary, man pages and completions where the
// system looks for them, under DESTDIR; make uninstall takes exactly
// those away again.
func TestMakeInstallUninstall(t *testing.T) {
	dest, dist := t.TempDir(), t.TempDir()
	mk := func(target string) {
		mustRun(t, exec.Command("make", "-C", "..", target, "DESTDIR="+dest, "DIST="+dist))
	}
	files := func() []string {
		var out []string
		filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				out = append(out, strings.TrimPrefix(p, dest))
			}
			return nil
		})
		return out
	}

	mk("install")
	got := files()
	for _, want := range []string{
		"/usr/local/bin/httpsify",
		"/usr/local/share/man/man8/httpsify.8",
		"/usr/local/share/man/man8/httpsify-apply.8",
		"/usr/local/share/bash-completion/completions/httpsify",
		"/usr/local/share/zsh/site-functions/_httpsify",
		"/usr/local/share/fish/vendor_completions.d/httpsify.fish",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("make install did not write %s; it wrote %q", want, got)
		}
	}
	if v := mustRun(t, exec.Command(dest+"/usr/local/bin/httpsify", "--version")); !regexp.MustCompile(`^httpsify [0-9]`).MatchString(v) {
		t.Errorf("the installed binary has no release version:\n%s", v)
	}
	if page := strings.TrimSpace(mustRun(t, exec.Command("man", "-M", dest+"/usr/local/share/man", "-w", "httpsify"))); page != dest+"/usr/local/share/man/man8/httpsify.8" {
		t.Errorf("man -w httpsify under DESTDIR: %q", page)
	}

	mk("uninstall")
	if left := files(); len(left) > 0 {
		t.Errorf("make uninstall left %q", left)
	}
}
