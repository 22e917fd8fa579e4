package nginx

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/provision/internal/testcert"
)

// The temporary challenge edit, served by a real nginx on loopback: the
// challenge file comes back although the block redirects at server level
// (return, rewrite, certbot's if), asks for a password, admits only some
// addresses, or had `ssl on` on port 80; every other request is answered
// as before.
func TestPrepareServesChallengeDespiteRedirects(t *testing.T) {
	cases := map[string]string{
		"return 301": `server {
    listen 127.0.0.1:@PORT@;
    server_name www.example.test;
    return 301 https://$server_name$request_uri;
}
server {
    listen 127.0.0.1:@TLS@ ssl;
    server_name www.example.test;
    ssl_certificate @DIR@/old.pem;
    ssl_certificate_key @DIR@/old.key;
    location / { return 200 "app\n"; }
}
`,
		"rewrite permanent": `server {
    listen 127.0.0.1:@PORT@;
    server_name www.example.test;
    rewrite ^(.*) https://$host$1 permanent;
}
server {
    listen 127.0.0.1:@TLS@ ssl;
    server_name www.example.test;
    ssl_certificate @DIR@/old.pem;
    ssl_certificate_key @DIR@/old.key;
    location / { return 200 "app\n"; }
}
`,
		"certbot if": `server {
    if ($host = www.example.test) {
        return 301 https://$host$request_uri;
    } # managed by Certbot
    listen 127.0.0.1:@PORT@;
    server_name www.example.test;
    return 404; # managed by Certbot
}
server {
    listen 127.0.0.1:@TLS@ ssl;
    server_name www.example.test;
    ssl_certificate @DIR@/old.pem;
    ssl_certificate_key @DIR@/old.key;
    location / { return 200 "app\n"; }
}
`,
		"password and allow list": `server {
    listen 127.0.0.1:@PORT@;
    server_name www.example.test;
    auth_basic "staging";
    auth_basic_user_file @DIR@/htpasswd;
    allow 10.0.0.1;
    deny all;
    location / { root @DIR@; }
}
`,
		"ssl on in one block": `server {
    listen 127.0.0.1:@PORT@;
    listen 127.0.0.1:@TLS@;
    server_name www.example.test;
    ssl on;
    ssl_certificate @DIR@/old.pem;
    ssl_certificate_key @DIR@/old.key;
    location / { return 200 "app\n"; }
}
`,
	}
	for name, site := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			// nginx's workers (nobody) must reach the webroot.
			os.Chmod(dir, 0o755)
			os.Chmod(filepath.Dir(dir), 0o755)
			port, tlsPort := freePort(t), freePort(t)
			old := testcert.Bundle(t, "www.example.test")
			r := strings.NewReplacer("@DIR@", dir, "@PORT@", fmt.Sprint(port), "@TLS@", fmt.Sprint(tlsPort))
			for path, body := range map[string]string{
				"nginx.conf":        strings.ReplaceAll(corpusMain, "DIR", dir),
				"mime.types":        "types { text/html html; }\n",
				"old.pem":           string(old.Fullchain),
				"old.key":           string(old.Key),
				"sites-enabled/app": r.Replace(site),
			} {
				os.MkdirAll(filepath.Dir(filepath.Join(dir, path)), 0o755)
				if err := os.WriteFile(filepath.Join(dir, path), []byte(body), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			os.MkdirAll(filepath.Join(dir, "conf.d"), 0o755)
			os.MkdirAll(filepath.Join(dir, "tmp"), 0o755)
			conf := filepath.Join(dir, "nginx.conf")
			s, err := Options{
				Domains: []string{"www.example.test"}, AgreeTOS: true, CA: "https://127.0.0.1:9/dir",
				NginxConf: conf, NginxBin: "/usr/sbin/nginx", HTTPPort: port, HTTPSPort: tlsPort,
				StateDir: filepath.Join(dir, "state"),
			}.Validate()
			if err != nil {
				t.Fatal(err)
			}
			d, err := Detect(context.Background(), s, nil)
			if err != nil {
				t.Fatal(err)
			}
			d.Running = true
			p, err := BuildPlan(d, s)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range p.ChallengeEdits() {
				apply(t, c.Path, c.Content, c.Symlink, c.Remove)
			}
			token := filepath.Join(p.Webroot, ".well-known/acme-challenge/tok123")
			os.MkdirAll(filepath.Dir(token), 0o755)
			os.WriteFile(token, []byte("tok123.key\n"), 0o644)
			startNginx(t, conf, dir)

			c := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			get := func(path string) (int, string) {
				req, _ := http.NewRequest("GET", fmt.Sprintf("http://127.0.0.1:%d%s", port, path), nil)
				req.Host = "www.example.test"
				resp, err := c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var b strings.Builder
				buf := make([]byte, 512)
				n, _ := resp.Body.Read(buf)
				b.Write(buf[:n])
				return resp.StatusCode, resp.Header.Get("Location") + b.String()
			}
			if code, body := get("/.well-known/acme-challenge/tok123"); code != 200 || !strings.Contains(body, "tok123.key") {
				t.Errorf("challenge: %d %q", code, body)
			}
			code, body := get("/page?q=1")
			switch name {
			case "password and allow list":
				if code != 403 && code != 401 {
					t.Errorf("the block's own rules changed: %d %q", code, body)
				}
			case "ssl on in one block":
				if code != 200 || body != "app\n" {
					t.Errorf("port %d after ssl on is gone: %d %q", port, code, body)
				}
			default:
				if code != 301 || !strings.HasPrefix(body, "https://www.example.test") {
					t.Errorf("the redirect changed: %d %q", code, body)
				}
			}
		})
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startNginx runs a private nginx (it daemonizes) and stops it at the end.
func startNginx(t *testing.T, conf, dir string) {
	t.Helper()
	if out, err := exec.Command("/usr/sbin/nginx", "-c", conf).CombinedOutput(); err != nil {
		t.Fatalf("nginx: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("/usr/sbin/nginx", "-c", conf, "-s", "stop").Run() })
	for i := 0; i < 50; i++ {
		if _, err := os.Stat(filepath.Join(dir, "nginx.pid")); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("nginx left no pid file")
}
