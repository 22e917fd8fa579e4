package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/corpus"
	"github.com/httpsify/httpsify/e2e/sandbox"
)

// For every corpus site (provision/testdata/corpus: layouts shaped like
// the ones people run): the real nginx serves it with stand-in backends,
// a visitor's requests are recorded, `httpsify apply` makes it HTTPS
// against Pebble, and the same requests must answer the same way (apart
// from the scheme), nginx -t must pass, and a rerun must change nothing.
func TestCorpusSitesKeepTheirBehaviour(t *testing.T) {
	sites, err := corpus.Sites()
	if err != nil {
		t.Fatal(err)
	}
	for _, site := range sites {
		t.Run(site.Name, func(t *testing.T) { corpusCase(t, site) })
	}
}

func corpusCase(t *testing.T, site corpus.Site) {
	sb := newSandbox(t)
	params := startCorpusWorld(t, sb)
	text, err := site.Render(params)
	if err != nil {
		t.Fatal(err)
	}
	// The sandbox's own demo site steps aside for the corpus site.
	confDir := filepath.Dir(sb.NginxConf)
	if err := os.Remove(filepath.Join(confDir, "sites-enabled", "app")); err != nil {
		t.Fatal(err)
	}
	siteFile := site.Path(confDir)
	if err := os.WriteFile(siteFile, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	restartNginx(t, sb)

	probes := corpusProbes(sb.Domain)
	before := make([]probeAnswer, len(probes))
	for i, p := range probes {
		if before[i], err = visit(sb, p); err != nil {
			t.Fatalf("before apply, %s: %v", p.Name, err)
		}
	}

	args := append([]string{"apply"}, sb.ApplyArgs()...)
	for _, d := range site.Domains(params)[1:] {
		args = append(args, "--domain", d)
	}
	out, code := run(t, args...)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s\n--- site before:\n%s", code, out, text)
	}
	after, _ := os.ReadFile(siteFile)
	for i, p := range probes {
		a, err := visitAfter(sb, p)
		switch {
		case err != nil:
			t.Errorf("after apply, %s: %v", p.Name, err)
		case !a.same(before[i]):
			t.Errorf("%s (%s %s, Host %q) answers differently:\n%s", p.Name, p.Method, p.Path, p.Host, answerDiff(before[i], a))
		}
	}
	if code, loc, err := redirectOf(sb, "/search?q=1"); err != nil || code != 301 || loc != fmt.Sprintf("https://%s:%d/search?q=1", sb.Domain, sb.HTTPSPort) {
		t.Errorf("http does not redirect to https: %d %q %v", code, loc, err)
	}
	if out, err := exec.Command(sb.NginxBin, "-t", "-c", sb.NginxConf).CombinedOutput(); err != nil {
		t.Errorf("nginx -t after apply: %v\n%s", err, out)
	}
	if t.Failed() {
		t.Logf("apply said:\n%s\n--- site after:\n%s", out, after)
		return
	}

	snap := snapshot(t, sb)
	out, code = run(t, args...)
	if code != 0 || !strings.Contains(out, "nothing to write") {
		t.Fatalf("rerun exited %d:\n%s", code, out)
	}
	requireSameFiles(t, snap, snapshot(t, sb))
}

// restartNginx makes the sandbox's nginx serve the corpus site. A restart,
// not a reload: old workers would answer some probes with the old site.
func restartNginx(t *testing.T, sb *sandbox.Sandbox) {
	t.Helper()
	if out, err := exec.Command(sb.NginxBin, "-t", "-c", sb.NginxConf).CombinedOutput(); err != nil {
		t.Fatalf("the corpus site does not pass nginx -t: %v\n%s", err, out)
	}
	if out, err := exec.Command(sb.NginxBin, "-s", "quit", "-c", sb.NginxConf).CombinedOutput(); err != nil {
		t.Fatalf("nginx -s quit: %v\n%s", err, out)
	}
	waitClosed(t, sb.HTTPPort)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(filepath.Dir(sb.NginxConf), "nginx.pid")); err != nil {
			break // the old master is gone
		}
		if time.Now().After(deadline) {
			t.Fatal("the old nginx master did not exit")
		}
	}
	if out, err := exec.Command(sb.NginxBin, "-c", sb.NginxConf).CombinedOutput(); err != nil {
		t.Fatalf("starting nginx with the corpus site: %v\n%s", err, out)
	}
	waitOpen(t, sb.HTTPPort)
}
