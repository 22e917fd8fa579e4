package txn

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// glob3Match applies glob(3)'s rule without GLOB_PERIOD, which is how nginx
// calls it: a leading '.' in a name is only matched by a literal '.'.
func glob3Match(pattern, name string) bool {
	if strings.HasPrefix(name, ".") && !strings.HasPrefix(pattern, ".") {
		return false
	}
	ok, _ := filepath.Match(pattern, name)
	return ok
}

func TestStagedTempsInvisibleToNginxGlobs(t *testing.T) {
	f := newFixture(t, t.TempDir())
	tx, err := Begin(f.state, f.changes())
	must(t, err)
	defer tx.Abandon()

	temps := tempsUnder(t, f.nginx)
	if len(temps) < 5 {
		t.Fatalf("expected staged temps, got %v", temps)
	}
	for _, tmp := range temps {
		base := filepath.Base(tmp)
		if !strings.HasPrefix(base, ".") || strings.HasSuffix(base, ".conf") {
			t.Errorf("temp name %q: want leading dot and no .conf suffix", base)
		}
		for _, pat := range []string{"*.conf", "*"} {
			if glob3Match(pat, base) {
				t.Errorf("glob(3) %q matches %q", pat, base)
			}
		}
		// Go's own matcher: "*.conf" never matches, "*" would (doc'd).
		if ok, _ := filepath.Match("*.conf", base); ok {
			t.Errorf("filepath.Match(*.conf) matches %q", base)
		}
	}
	if ok, _ := filepath.Match("*", ".x"); !ok {
		t.Error("filepath.Match no longer matches leading dots; update the package doc")
	}

	// The real thing: POSIX sh pathname expansion has glob(3)'s rule.
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatal("no sh on PATH:", err)
	}
	for _, dir := range []string{"conf.d", "sites-enabled"} {
		out, err := exec.Command(sh, "-c", `for f in "$1"/*.conf "$1"/*; do echo "$f"; done`, "sh", f.p(dir)).Output()
		must(t, err)
		if strings.Contains(string(out), tempMarker) {
			t.Errorf("sh glob in %s matched a temp:\n%s", dir, out)
		}
		if !strings.Contains(string(out), f.p(dir)+"/") {
			t.Errorf("sh glob in %s matched nothing: %s", dir, out)
		}
	}
}
