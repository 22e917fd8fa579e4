package e2e

import (
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

// The main job: the classic Flask/gunicorn-on-a-socket site becomes a
// verified HTTPS site with a certificate from a real ACME CA.
func TestApplyClassicSiteBecomesHTTPS(t *testing.T) {
	sb := newSandbox(t)
	out, code := run(t, append([]string{"apply"}, sb.ApplyArgs()...)...)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}

	status, body := getHTTPS(t, sb, "/")
	if status != 200 || !strings.Contains(body, "Hello from the demo app") || !strings.Contains(body, "X-Forwarded-Proto: https") {
		t.Fatalf("https / = %d %q", status, body)
	}
	code301, loc, _ := getHTTP(t, sb, "/page?q=1")
	if code301 != 301 || loc != fmt.Sprintf("https://%s:%d/page?q=1", sb.Domain, sb.HTTPSPort) {
		t.Fatalf("http redirect = %d %q", code301, loc)
	}
	requireProtocols(t, sb)

	live := filepath.Join(sb.StateDir, "live", sb.Domain)
	requireMode(t, filepath.Join(live, "privkey.pem"), 0o600)
	target, err := filepath.EvalSymlinks(live)
	if err != nil {
		t.Fatal(err)
	}
	requireMode(t, target, 0o700|os.ModeDir)
	for _, f := range []string{"fullchain.pem", "chain.pem", "cert.pem"} {
		if _, err := os.Stat(filepath.Join(live, f)); err != nil {
			t.Error(err)
		}
	}
	site, _ := os.ReadFile(sb.SiteFile)
	for _, bad := range []string{"ssl on", "TLSv1.1", "ssl_stapling"} {
		if strings.Contains(string(site), bad) {
			t.Errorf("site contains %q", bad)
		}
	}

	// A rerun keeps the certificate, writes nothing and still verifies.
	before := snapshot(t, sb)
	out, code = run(t, append([]string{"apply"}, sb.ApplyArgs()...)...)
	if code != 0 || !strings.Contains(out, "nothing to write") || !strings.Contains(out, "no new one needed") {
		t.Fatalf("rerun exited %d:\n%s", code, out)
	}
	requireSameFiles(t, before, snapshot(t, sb))
}

// requireProtocols checks what a client can negotiate: TLS 1.3 and 1.2,
// never 1.1 or 1.0, even though the sandbox's nginx.conf started with
// Debian's global `ssl_protocols TLSv1 TLSv1.1 ...` line.
func requireProtocols(t *testing.T, sb *sandbox.Sandbox) {
	t.Helper()
	addr := net.JoinHostPort("127.0.0.1", fmt.Sprint(sb.HTTPSPort))
	for v, want := range map[uint16]bool{tls.VersionTLS13: true, tls.VersionTLS12: true, tls.VersionTLS11: false, tls.VersionTLS10: false} {
		c, err := tls.Dial("tcp", addr, &tls.Config{ServerName: sb.Domain, InsecureSkipVerify: true, MinVersion: v, MaxVersion: v})
		if err == nil {
			c.Close()
		}
		if (err == nil) != want {
			t.Errorf("TLS version %x: handshake ok=%v, want %v (%v)", v, err == nil, want, err)
		}
	}
}

func requireMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode() & (os.ModePerm | os.ModeDir); got != want {
		t.Errorf("%s has mode %v, want %v", path, got, want)
	}
}

// --dry-run prints a unified diff of every file (whole contents with
// --full) and changes nothing.
func TestApplyDryRunChangesNothing(t *testing.T) {
	sb := newSandbox(t)
	before := snapshot(t, sb)
	out, code := run(t, append([]string{"apply", "--dry-run"}, sb.ApplyArgs()...)...)
	if code != 0 {
		t.Fatalf("dry run exited %d:\n%s", code, out)
	}
	for _, want := range []string{
		"-\tlisten " + fmt.Sprint(sb.HTTPPort) + ";",
		"+\tlisten " + fmt.Sprint(sb.HTTPSPort) + " ssl",
		"nginx -t -c " + sb.NginxConf,
		"+\tssl_protocols TLSv1.2 TLSv1.3;",
		"--- " + filepath.Join(filepath.Dir(sb.NginxConf), "sites-enabled", "app"),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	out, code = run(t, append([]string{"apply", "--dry-run", "--full"}, sb.ApplyArgs()...)...)
	if code != 0 || !strings.Contains(out, "| \t\tproxy_pass http://unix:"+sb.AppSocket+";") {
		t.Errorf("dry run --full exited %d, lacks the whole site:\n%s", code, out)
	}
	requireSameFiles(t, before, snapshot(t, sb))
	if _, err := os.Stat(filepath.Join(sb.StateDir, "live")); err == nil {
		t.Error("dry run installed a certificate")
	}
}

// nginx -t failing after the write: every file is restored byte for byte,
// nginx's own error is shown, and the old site keeps serving.
func TestApplyCheckFailureRestoresEveryFile(t *testing.T) {
	sb := newSandbox(t)
	// A zone of the same name but another size: valid alone, and only
	// the new site's `ssl_session_cache shared:httpsify:10m` conflicts.
	other := filepath.Join(filepath.Dir(sb.NginxConf), "conf.d", "zz-other.conf")
	if err := os.WriteFile(other, []byte("ssl_session_cache shared:httpsify:5m;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, sb)
	out, code := run(t, append([]string{"apply"}, sb.ApplyArgs()...)...)
	if code == 0 {
		t.Fatalf("apply succeeded despite the conflict:\n%s", out)
	}
	if !strings.Contains(out, "[emerg]") || !strings.Contains(out, "httpsify") {
		t.Errorf("nginx's own error line is not shown:\n%s", out)
	}
	requireSameFiles(t, before, snapshot(t, sb))
	status, _, body := getHTTP(t, sb, "/")
	if status != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Fatalf("the old site no longer serves: %d %q", status, body)
	}
}

// The CA unreachable: the run stops before any file is touched.
func TestApplyCAUnreachableWritesNothing(t *testing.T) {
	sb := newSandbox(t)
	before := snapshot(t, sb)
	out, code := run(t, append([]string{"apply"}, with(sb.ApplyArgs(), "--ca", "https://127.0.0.1:9/dir")...)...)
	if code == 0 || !strings.Contains(out, "cannot reach the CA") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	requireSameFiles(t, before, snapshot(t, sb))
}

// Hostile input is refused with a short error naming the flag, and
// nothing at all is written (not even the state directory).
func TestApplyHostileInputWritesNothing(t *testing.T) {
	sb := newSandbox(t)
	os.RemoveAll(sb.StateDir)
	before := snapshot(t, sb)
	cases := []struct{ flag, value string }{
		{"--domain", "a.test; include /etc/shadow"},
		{"--domain", "www.example.test\nserver { }"},
		{"--domain", "127.0.0.1"},
		{"--domain", "*.example.test"},
		{"--upstream", "unix:/srv/app.sock; include /etc/shadow"},
		{"--upstream", "http://127.0.0.1:8000/$host"},
		{"--client-max-body-size", "10m; ssl off"},
		{"--email", "me@example.test\nssl on;"},
		{"--cert-dir", "/etc/x y"},
	}
	for _, c := range cases {
		out, code := run(t, append([]string{"apply"}, with(sb.ApplyArgs(), c.flag, c.value)...)...)
		if code != 2 || !strings.HasPrefix(strings.TrimSpace(out), "httpsify: "+c.flag+":") || strings.Count(strings.TrimSpace(out), "\n") > 1 {
			t.Errorf("%s %q: exit %d, output:\n%s", c.flag, c.value, code, out)
		}
	}
	requireSameFiles(t, before, snapshot(t, sb))
	if _, err := os.Stat(sb.StateDir); err == nil {
		t.Error("the state directory was created")
	}
}
