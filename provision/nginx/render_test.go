package nginx

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n%s", name, got)
	}
}

func classicParams() SiteParams {
	return SiteParams{
		Primary:        "www.example.test",
		Domains:        []string{"www.example.test", "example.test"},
		HTTPListens:    []string{listenArg("", 80), listenArg("[::]", 80)},
		HTTPSListens:   []string{listenArg("", 443, "ssl"), listenArg("[::]", 443, "ssl")},
		CertFile:       "/etc/httpsify/live/www.example.test/fullchain.pem",
		KeyFile:        "/etc/httpsify/live/www.example.test/privkey.pem",
		TLS:            Profiles["intermediate"],
		ProxyPass:      "http://unix:/srv/app/app.sock",
		Webroot:        "/etc/httpsify/acme-challenge",
		RedirectTarget: redirectTarget(443),
		UpgradeVar:     upgradeVar("www.example.test"),
	}
}

// Each nginx version form has its own golden file: 1.22 (Debian 12) takes
// http2 on the listen line, 1.25.1+ wants the http2 directive.
func TestRenderSiteGolden(t *testing.T) {
	legacy := classicParams()
	for i := range legacy.HTTPSListens {
		legacy.HTTPSListens[i] += " http2"
	}
	modern := classicParams()
	modern.HTTP2Directive = true
	modern.HSTS = true
	modern.BodySize = "20m"
	modern.TLS = Profiles["modern"]
	for name, p := range map[string]SiteParams{"site-nginx-1.22.golden": legacy, "site-nginx-1.26-hsts-modern.golden": modern} {
		got, err := RenderSite(p)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, name, got)
	}
}

// What must never appear in a generated site, whatever the options.
func TestRenderNeverWritesInsecureDirectives(t *testing.T) {
	p := classicParams()
	got, err := RenderSite(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"ssl on", "TLSv1 ", "TLSv1.1", "ssl_stapling", "SSLv3", ":DHE-", "ciphers DHE-"} {
		if strings.Contains(got, bad) {
			t.Errorf("rendered site contains %q", bad)
		}
	}
	for _, want := range []string{"X-Forwarded-Proto $scheme", "proxy_set_header Upgrade $http_upgrade", "return 301 https://$host$request_uri", "location ^~ /.well-known/acme-challenge/"} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered site lacks %q", want)
		}
	}
}

func TestRedirectTargetKeepsNonStandardPort(t *testing.T) {
	if got := redirectTarget(8443); got != "https://$host:8443$request_uri" {
		t.Fatal(got)
	}
}
