package nginx

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/internal/testcert"
)

// A run killed with SIGKILL stops between two renames of its transaction.
// Whatever the moment, the files on disk must pass nginx -t, or nginx would
// refuse to start (or reload) until the next run recovers. So every prefix
// of Deploy's changes, and every step of undoing them newest first (as
// Rollback and Recover do), is checked with the real nginx -t.
func TestDeployEveryCrashPointPassesNginxTest(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"nginx.conf": `pid DIR/nginx.pid;
error_log DIR/error.log;
events {}
http {
	include mime.types;
	client_body_temp_path DIR/tmp;
	proxy_temp_path DIR/tmp;
	fastcgi_temp_path DIR/tmp;
	uwsgi_temp_path DIR/tmp;
	scgi_temp_path DIR/tmp;
	ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
	include DIR/sites-enabled/*;
}
`,
		"mime.types":   "types { text/html html; }\n",
		"proxy_params": "proxy_set_header Host $http_host;\n",
		"sites-available/app": `server {
	listen 8080;
	server_name www.example.test;
	location / {
		include proxy_params;
		proxy_pass http://unix:/srv/app/app.sock;
	}
}
`,
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(body, "DIR", dir)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(dir, "sites-enabled"), 0o755)
	if err := os.Symlink(filepath.Join(dir, "sites-available/app"), filepath.Join(dir, "sites-enabled/app")); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "nginx.conf")
	s, err := Options{
		Domains: []string{"www.example.test"}, AgreeTOS: true, CA: "https://127.0.0.1:9/dir",
		NginxConf: conf, NginxBin: "/usr/sbin/nginx", HTTPPort: 8080, HTTPSPort: 8443,
		StateDir: filepath.Join(dir, "state"),
	}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	d, err := Detect(context.Background(), s, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := BuildPlan(d, s)
	if err != nil {
		t.Fatal(err)
	}
	version, err := certstore.Stage(p.ArchiveDir, testcert.Bundle(t, "www.example.test"))
	if err != nil {
		t.Fatal(err)
	}
	changes, err := deployChanges(s, p, &Issued{New: true, VersionDir: version})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) < 2 {
		t.Fatalf("expected the site and the certificate link among the changes, got %d", len(changes))
	}

	nginxT := func(when string) {
		t.Helper()
		if out, err := exec.Command(s.NginxBin, "-t", "-c", conf).CombinedOutput(); err != nil {
			t.Fatalf("killed %s: nginx -t fails:\n%s", when, out)
		}
	}
	nginxT("before the first rename")
	for i, c := range changes {
		apply(t, c.Change.Path, c.Content, c.Symlink, c.Remove)
		nginxT("after renaming " + strings.TrimPrefix(changes[i].Path, dir))
	}
	for i := len(changes) - 1; i >= 0; i-- {
		c := changes[i]
		if c.Symlink != "" {
			apply(t, c.Path, nil, "", true) // a new link: undone by removing it
		} else {
			apply(t, c.Path, c.Old, "", !c.Existed)
		}
		nginxT("while rolling back " + strings.TrimPrefix(c.Path, dir))
	}
}

// apply does one change in place, as a committed rename leaves it.
func apply(t *testing.T, path string, content []byte, symlink string, remove bool) {
	t.Helper()
	var err error
	switch {
	case remove:
		err = os.Remove(path)
	case symlink != "":
		os.Remove(path)
		err = os.Symlink(symlink, path)
	default:
		err = os.WriteFile(path, content, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// selfSignedBundle is a certificate nginx -t will load for name (and more).
