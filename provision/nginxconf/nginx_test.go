package nginxconf

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const nginxBin = "/usr/sbin/nginx"

// writeTree writes files (relative path → content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// selfSigned returns PEM cert and key; `ssl on` makes nginx -t load them.
func selfSigned(t *testing.T) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "old.example.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
}

// nginxDump runs `nginx -T` on a private tree; -T parses and loads certs but
// binds no ports.
func nginxDump(t *testing.T, dir, main string) []byte {
	t.Helper()
	if _, err := os.Stat(nginxBin); err != nil {
		t.Fatalf("nginx is not installed at %s (e2e/install-deps.sh installs it): %v", nginxBin, err)
	}
	cmd := exec.Command(nginxBin, "-T", "-c", filepath.Join(dir, main), "-p", dir+"/", "-e", filepath.Join(dir, "error.log"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nginx -T: %v\n%s", err, stderr.String())
	}
	return out
}

const flaskSite = `# Flask app behind gunicorn
# configuration file /x:
server {
    listen 18080;
    server_name www.example.test example.test;

    location / {
        include proxy_params;
        proxy_pass http://unix:/srv/app/app.sock;
    }

    location /static/ {
        alias /srv/app/static/;
    }
}
`

func TestNginxDumpRoundTrip(t *testing.T) {
	dir := t.TempDir()
	cert, key := selfSigned(t)
	main := "pid " + dir + "/nginx.pid;\n" +
		"error_log " + dir + "/error.log;\n" +
		"events {}\n" +
		"http {\n" +
		"    client_body_temp_path " + dir + "/body;\n" +
		"    proxy_temp_path " + dir + "/proxy;\n" +
		"    fastcgi_temp_path " + dir + "/fastcgi;\n" +
		"    uwsgi_temp_path " + dir + "/uwsgi;\n" +
		"    scgi_temp_path " + dir + "/scgi;\n" +
		"    include sites/*.conf;\n" +
		"    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;\n" +
		"}\n"
	oldSSL := "server {\n" +
		"    listen 18443;\n" +
		"    server_name old.example.test;\n" +
		"    ssl on;\n" +
		"    ssl_certificate old.crt;\n" +
		"    ssl_certificate_key old.key;\n" +
		"}" // no final newline: nginx adds exactly one in the dump
	writeTree(t, dir, map[string]string{
		"nginx.conf":        main,
		"proxy_params":      "proxy_set_header Host $http_host;\nproxy_set_header X-Real-IP $remote_addr;\n",
		"sites/app.conf":    flaskSite,
		"sites/oldssl.conf": oldSSL,
		"old.crt":           cert,
		"old.key":           key,
	})
	out := nginxDump(t, dir, "nginx.conf")

	files, err := ParseDump(out)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path)
		disk, err := os.ReadFile(f.Path)
		if err != nil || !bytes.Equal(disk, f.Content) {
			t.Errorf("%s: dumped content differs from disk (%v)", f.Path, err)
		}
	}
	wantPaths := []string{dir + "/nginx.conf", dir + "/sites/app.conf", dir + "/proxy_params", dir + "/sites/oldssl.conf"}
	if !reflect.DeepEqual(paths, wantPaths) {
		t.Fatalf("paths = %q, want %q", paths, wantPaths)
	}

	c, err := Analyze(files)
	if err != nil {
		t.Fatal(err)
	}
	if c.Main != dir+"/nginx.conf" {
		t.Errorf("Main = %q", c.Main)
	}
	if want := []IncludeSite{{"sites/*.conf", dir + "/sites/*.conf", dir + "/nginx.conf"}}; !reflect.DeepEqual(c.Includes, want) {
		t.Errorf("Includes = %+v, want %+v", c.Includes, want)
	}

	// http-level ssl_protocols, with offsets into the main file.
	var proto *Directive
	for _, d := range c.HTTP {
		if d.Name == "ssl_protocols" {
			proto = d
		}
	}
	if proto == nil {
		t.Fatal("ssl_protocols not found at http level")
	}
	mainContent, _ := c.FileContent(c.Main)
	if proto.File != c.Main || string(mainContent[proto.Start:proto.End]) != "ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;" {
		t.Errorf("ssl_protocols at %s[%d:%d] = %q", proto.File, proto.Start, proto.End, mainContent[proto.Start:proto.End])
	}
	if !reflect.DeepEqual(proto.Args, []string{"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}) {
		t.Errorf("ssl_protocols args = %q", proto.Args)
	}

	if len(c.Servers) != 2 {
		t.Fatalf("got %d servers, want 2", len(c.Servers))
	}
	app, old := c.Servers[0], c.Servers[1]

	appContent, _ := c.FileContent(dir + "/sites/app.conf")
	if app.File != dir+"/sites/app.conf" || !strings.HasPrefix(string(appContent[app.Start:app.End]), "server {") ||
		app.End != len(appContent)-1 { // the file ends with "}\n"
		t.Errorf("app server range %s[%d:%d]", app.File, app.Start, app.End)
	}
	if !reflect.DeepEqual(app.Names, []string{"www.example.test", "example.test"}) {
		t.Errorf("app names = %q", app.Names)
	}
	if want := []Listen{{Port: 18080, Raw: []string{"18080"}}}; !reflect.DeepEqual(app.Listens, want) {
		t.Errorf("app listens = %+v", app.Listens)
	}
	if app.SSL || app.Managed || len(app.Problems) != 0 {
		t.Errorf("app SSL=%v Managed=%v Problems=%q", app.SSL, app.Managed, app.Problems)
	}
	wantLocs := []struct{ args, proxy, text string }{
		{"/", "http://unix:/srv/app/app.sock", "location / {\n        include proxy_params;\n        proxy_pass http://unix:/srv/app/app.sock;\n    }"},
		{"/static/", "", "location /static/ {\n        alias /srv/app/static/;\n    }"},
	}
	if len(app.Locations) != len(wantLocs) {
		t.Fatalf("app has %d locations", len(app.Locations))
	}
	for i, w := range wantLocs {
		l := app.Locations[i]
		if strings.Join(l.Args, " ") != w.args || l.ProxyPass != w.proxy || l.Text != w.text || l.D == nil {
			t.Errorf("location %d = %+v", i, l)
		}
	}

	if !old.SSL || !reflect.DeepEqual(old.Names, []string{"old.example.test"}) || len(old.Problems) != 0 {
		t.Errorf("old server: SSL=%v names=%q problems=%q", old.SSL, old.Names, old.Problems)
	}
	if want := []Listen{{Port: 18443, Raw: []string{"18443"}}}; !reflect.DeepEqual(old.Listens, want) {
		t.Errorf("old listens = %+v", old.Listens)
	}
	if got := c.ServersFor("EXAMPLE.test", 18080); len(got) != 1 || got[0] != app {
		t.Errorf("ServersFor(example.test, 18080) = %v", got)
	}
	if got := c.ServersFor("example.test", 80); len(got) != 0 {
		t.Errorf("ServersFor(example.test, 80) = %v", got)
	}
}
