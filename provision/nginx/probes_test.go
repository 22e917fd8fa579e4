package nginx

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/httpsify/httpsify/provision/nginxconf"
)

func TestSiteProbesPickStaticFiles(t *testing.T) {
	dir := t.TempDir()
	static := filepath.Join(dir, "static")
	os.MkdirAll(static, 0o755)
	os.WriteFile(filepath.Join(static, "app.css"), []byte("body{}"), 0o644)
	os.WriteFile(filepath.Join(static, ".secret"), []byte("x"), 0o644)
	site := `server {
    listen 80;
    server_name www.example.test;
    location / { proxy_pass http://unix:/srv/app.sock; }
    location /static/ { alias ` + static + `/; }
}
`
	cfg := analyzeOne(t, site)
	s := &Settings{Host: Host{HTTPPort: 80, HTTPSPort: 443}, Request: Request{Domains: []string{"www.example.test"}}}
	got := siteProbes(cfg, s)
	want := []Probe{{Path: "/"}, {Path: "/static/app.css", Body: true}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("probes = %+v, want %+v", got, want)
	}
	s.Domains = []string{"other.example.test"}
	if got := siteProbes(cfg, s); got != nil {
		t.Fatalf("no block answers the name yet, so nothing to keep; got %+v", got)
	}
}

func TestSiteProbesRootFileOnlyWhenNginxServesIt(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "index.html"), []byte("<h1>hi</h1>"), 0o644)
	static := `server { listen 80; server_name www.example.test; root ` + root + `; location / { try_files $uri $uri/ =404; } }`
	proxied := `server { listen 80; server_name www.example.test; root ` + root + `; location / { proxy_pass http://127.0.0.1:8000; } }`
	php := `server { listen 80; server_name www.example.test; root ` + root + `; location ~ \.html$ { return 403; } }`
	s := &Settings{Host: Host{HTTPPort: 80, HTTPSPort: 443}, Request: Request{Domains: []string{"www.example.test"}}}
	for name, tc := range map[string]struct {
		site string
		n    int
	}{"static": {static, 2}, "proxied": {proxied, 1}, "regex": {php, 1}} {
		if got := siteProbes(analyzeOne(t, tc.site), s); len(got) != tc.n {
			t.Errorf("%s: %d probes (%+v), want %d", name, len(got), got, tc.n)
		}
	}
}

func analyzeOne(t *testing.T, site string) *nginxconf.Config {
	t.Helper()
	cfg, err := nginxconf.Analyze([]nginxconf.File{
		{Path: "/etc/nginx/nginx.conf", Content: []byte("events {}\nhttp {\n include /etc/nginx/sites-enabled/*;\n}\n")},
		{Path: "/etc/nginx/sites-enabled/app", Content: []byte(site)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// A challenge file a killed run left behind is no page of the site: only
// port 80 serves it, so https answering it differently is no regression
// (a rerun after SIGKILL used to fail verification on it).
func TestSiteProbesSkipTheChallengeLocation(t *testing.T) {
	webroot := t.TempDir()
	tokens := filepath.Join(webroot, ".well-known", "acme-challenge")
	os.MkdirAll(tokens, 0o755)
	os.WriteFile(filepath.Join(tokens, "leftover-token"), []byte("token.thumbprint"), 0o644)
	site := `server {
    listen 80;
    server_name www.example.test;
    location ^~ /.well-known/acme-challenge/ { root ` + webroot + `; }
    location / { proxy_pass http://unix:/srv/app.sock; }
}
`
	s := &Settings{Host: Host{HTTPPort: 80, HTTPSPort: 443}, Request: Request{Domains: []string{"www.example.test"}}}
	got := siteProbes(analyzeOne(t, site), s)
	if len(got) != 1 || got[0].Path != "/" {
		t.Fatalf("probes = %+v, want / only", got)
	}
}
