package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/faultproxy"
	"github.com/httpsify/httpsify/e2e/sandbox"
)

// bgRun is an httpsify run in the background.
type bgRun struct {
	cmd     *exec.Cmd
	started time.Time
	out     *syncBuffer
	done    chan struct{}
	code    int
}

// syncBuffer is a bytes.Buffer the child writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startRun(t *testing.T, args ...string) *bgRun {
	t.Helper()
	r := &bgRun{cmd: exec.Command(binary, args...), out: &syncBuffer{}, done: make(chan struct{})}
	r.cmd.Stdout, r.cmd.Stderr = r.out, r.out
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("starting httpsify: %v", err)
	}
	r.started = time.Now()
	go func() {
		err := r.cmd.Wait()
		var ee *exec.ExitError
		switch {
		case err == nil:
		case errors.As(err, &ee):
			r.code = ee.ExitCode() // -1 when killed by a signal
		default:
			r.code = -2
		}
		close(r.done)
	}()
	t.Cleanup(func() {
		select {
		case <-r.done:
		default:
			r.cmd.Process.Kill()
			<-r.done
		}
	})
	return r
}

// wait waits for the run to end (failing the test after limit).
func (r *bgRun) wait(t *testing.T, limit time.Duration) (string, int) {
	t.Helper()
	select {
	case <-r.done:
		return r.out.String(), r.code
	case <-time.After(limit):
		t.Fatalf("httpsify still running after %s:\n%s", limit, r.out.String())
	}
	return "", 0
}

// startProxy puts a fault-injecting proxy in front of the sandbox's Pebble
// and returns the apply arguments that go through it.
func startProxy(t *testing.T, sb *sandbox.Sandbox, rules ...faultproxy.Rule) (*faultproxy.Proxy, []string) {
	t.Helper()
	upstream := strings.TrimSuffix(sb.CADirURL, "/dir")
	p, err := faultproxy.Start(upstream, sb.CARootFile, t.TempDir(), rules...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	// --ca-root names the proxy's listener CA and the root Pebble issues
	// under, which httpsify checks an installed certificate against.
	proxyCA, err := os.ReadFile(p.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	issuer, err := sb.IssuerRoots()
	if err != nil {
		t.Fatal(err)
	}
	roots := filepath.Join(t.TempDir(), "roots.pem")
	if err := os.WriteFile(roots, append(proxyCA, issuer...), 0o644); err != nil {
		t.Fatal(err)
	}
	args := with(with(sb.ApplyArgs(), "--ca", p.DirURL), "--ca-root", roots)
	return p, args
}

// requireOldSiteServes checks the plain-HTTP site still answers from the app.
func requireOldSiteServes(t *testing.T, sb *sandbox.Sandbox) {
	t.Helper()
	status, _, body := getHTTP(t, sb, "/")
	if status != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Fatalf("the old site no longer serves: %d %q", status, body)
	}
}

// requireNoCertificate checks that no certificate was installed, not even
// half: no live link and no complete or partial version in the archive.
func requireNoCertificate(t *testing.T, sb *sandbox.Sandbox) {
	t.Helper()
	if _, err := os.Lstat(filepath.Join(sb.StateDir, "live", sb.Domain)); err == nil {
		t.Error("a certificate was linked in")
	}
	ents, _ := os.ReadDir(filepath.Join(sb.StateDir, "archive", sb.Domain))
	for _, e := range ents {
		t.Errorf("the certificate archive holds %s", e.Name())
	}
}

// requireNginxTest runs nginx -t on the sandbox's config.
func requireNginxTest(t *testing.T, sb *sandbox.Sandbox) {
	t.Helper()
	if out, err := exec.Command(sb.NginxBin, "-t", "-c", sb.NginxConf).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t fails: %v\n%s", err, out)
	}
}

// Served is what a visitor sees of the site.
type served string

const (
	servedOld served = "old" // http serves the app; nothing on https
	servedNew served = "new" // https with a trusted chain serves the app; http redirects
)

// classify looks at the site as a visitor would and says whether it is
// wholly the old or wholly the new configuration; anything else is
// described. nginx finishes a reload asynchronously, so a mixed view is
// looked at again for up to settle before it counts.
func classify(sb *sandbox.Sandbox, roots []byte, settle time.Duration) (served, string) {
	deadline := time.Now().Add(settle)
	for {
		s, why := classifyOnce(sb, roots)
		if s == servedOld || s == servedNew || time.Now().After(deadline) {
			return s, why
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func classifyOnce(sb *sandbox.Sandbox, roots []byte) (served, string) {
	hc := sb.HTTPClient()
	hc.Timeout = 5 * time.Second
	resp, err := hc.Get(fmt.Sprintf("http://%s:%d/page?q=1", sb.Domain, sb.HTTPPort))
	if err != nil {
		return "mixed", "http: " + err.Error()
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	httpOld := resp.StatusCode == 200 && bytes.Contains(body, []byte("Hello from the demo app"))
	httpNew := resp.StatusCode == 301 && resp.Header.Get("Location") == fmt.Sprintf("https://%s:%d/page?q=1", sb.Domain, sb.HTTPSPort)

	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", sb.HTTPSPort), 2*time.Second)
	httpsClosed := err != nil
	if c != nil {
		c.Close()
	}
	httpsNew := false
	var httpsInfo string
	if !httpsClosed {
		hs := sb.HTTPSClient(roots)
		hs.Timeout = 5 * time.Second
		r2, err := hs.Get(fmt.Sprintf("https://%s:%d/", sb.Domain, sb.HTTPSPort))
		if err != nil {
			httpsInfo = err.Error()
		} else {
			b2, _ := io.ReadAll(r2.Body)
			r2.Body.Close()
			httpsNew = r2.StatusCode == 200 && bytes.Contains(b2, []byte("X-Forwarded-Proto: https"))
			httpsInfo = r2.Status
		}
	}
	switch {
	case httpOld && httpsClosed:
		return servedOld, ""
	case httpNew && httpsNew:
		return servedNew, ""
	}
	return "mixed", fmt.Sprintf("http %d %q, https open=%v %s", resp.StatusCode, resp.Header.Get("Location"), !httpsClosed, httpsInfo)
}

// resetSite puts the nginx files back as snapshot recorded them and
// reloads, so the next trial starts from the plain-HTTP site again.
func resetSite(t *testing.T, sb *sandbox.Sandbox, snap map[string]string) {
	t.Helper()
	for p := range snapshot(t, sb) {
		if _, ok := snap[p]; !ok {
			os.Remove(p)
		}
	}
	for p, content := range snap {
		os.Remove(p)
		var err error
		if target, ok := strings.CutPrefix(content, "link:"); ok {
			err = os.Symlink(target, p)
		} else {
			err = os.WriteFile(p, []byte(content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := sb.Reload(); err != nil {
		t.Fatalf("reloading the reset site: %v", err)
	}
	if s, why := classify(sb, nil, 10*time.Second); s != servedOld {
		t.Fatalf("the reset site is %s: %s", s, why)
	}
}
