package provision

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/provision/nginxconf"
)

// tree is an nginx configuration held in memory, laid out like Debian's.
type tree struct {
	dir   string
	files map[string]string // path relative to dir → content
}

const mainConf = `events {}
http {
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    include DIR/sites-enabled/*;
}
`

const classicSite = `server {
    listen 80;
    server_name www.example.test;
    client_max_body_size 8m;
    access_log /var/log/nginx/app.log;

    location / {
        include proxy_params;
        proxy_pass http://unix:/srv/app/app.sock;
    }

    location /static/ {
        alias /srv/app/static/;
    }
}
`

// debianProxyParams is Debian's /etc/nginx/proxy_params.
const debianProxyParams = `proxy_set_header Host $http_host;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto $scheme;
`

func newTree(t *testing.T, site string) *tree {
	dir := t.TempDir()
	tr := &tree{dir: dir, files: map[string]string{"nginx.conf": strings.ReplaceAll(mainConf, "DIR", dir), "proxy_params": debianProxyParams}}
	if site != "" {
		tr.files["sites-enabled/app"] = site
	}
	for _, sub := range []string{"sites-enabled", "sites-available"} {
		os.MkdirAll(filepath.Join(dir, sub), 0o755)
	}
	return tr
}

func (tr *tree) detection(t *testing.T) *Detection {
	t.Helper()
	files := []nginxconf.File{{Path: filepath.Join(tr.dir, "nginx.conf"), Content: []byte(tr.files["nginx.conf"])}}
	for rel, c := range tr.files {
		if rel != "nginx.conf" {
			files = append(files, nginxconf.File{Path: filepath.Join(tr.dir, rel), Content: []byte(c)})
		}
	}
	cfg, err := nginxconf.Analyze(files)
	if err != nil {
		t.Fatal(err)
	}
	return &Detection{Nginx: Nginx{Bin: "nginx", Conf: files[0].Path}, Version: Version{1, 22, 1}, Config: cfg, Running: true}
}

func (tr *tree) settings(t *testing.T, o Options) *Settings {
	t.Helper()
	if o.Domains == nil {
		o.Domains = []string{"www.example.test"}
	}
	o.StateDir = filepath.Join(tr.dir, "state")
	s, err := o.Validate()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func fileIn(p *Plan, path string) *FileChange {
	for i := range p.Files {
		if p.Files[i].Path == path || p.Files[i].Shown == path {
			return &p.Files[i]
		}
	}
	return nil
}

func TestPlanClassicSiteCarriesUpstreamAndLocations(t *testing.T) {
	tr := newTree(t, classicSite)
	p, err := BuildPlan(tr.detection(t), tr.settings(t, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	site := fileIn(p, filepath.Join(tr.dir, "sites-enabled/app"))
	if site == nil {
		t.Fatalf("the site file is not in the plan: %+v", p.Files)
	}
	got := string(site.Content)
	for _, want := range []string{
		"proxy_pass http://unix:/srv/app/app.sock;",
		"location /static/ {\n        alias /srv/app/static/;\n    }",
		"client_max_body_size 8m;",
		"access_log /var/log/nginx/app.log;",
		"    listen 443 ssl http2;\n    server_name www.example.test;\n    # managed by httpsify\n",
		"ssl_certificate     " + filepath.Join(tr.dir, "state/live/www.example.test/fullchain.pem") + ";",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("site lacks %q:\n%s", want, got)
		}
	}
	// Edited in place: the user's location / stays as written, and its
	// proxy_params already send X-Forwarded-Proto, so nothing is added.
	if !strings.Contains(got, "    location / {\n        include proxy_params;\n        proxy_pass http://unix:/srv/app/app.sock;\n    }") ||
		strings.Contains(got, "added by httpsify") {
		t.Errorf("location / was changed:\n%s", got)
	}
	if p.Upstream != "http://unix:/srv/app/app.sock" {
		t.Errorf("upstream = %q", p.Upstream)
	}
	// Debian's global TLSv1 line is fixed in the main file.
	main := fileIn(p, filepath.Join(tr.dir, "nginx.conf"))
	if main == nil || !strings.Contains(string(main.Content), "ssl_protocols TLSv1.2 TLSv1.3;") {
		t.Fatalf("global ssl_protocols not fixed: %+v", main)
	}
	// The running nginx answers the challenge: the old block gets the
	// webroot location first, nothing else changes.
	if len(p.Prepare) != 1 || !strings.Contains(string(p.Prepare[0].Content), "location ^~ /.well-known/acme-challenge/ { root "+p.Webroot+";") ||
		!strings.Contains(string(p.Prepare[0].Content), "include proxy_params;") {
		t.Fatalf("prepare = %+v", p.Prepare)
	}
}

// A rerun over httpsify's own output must produce byte-identical files.
func TestPlanRerunIsIdempotent(t *testing.T) {
	tr := newTree(t, classicSite)
	s := tr.settings(t, Options{HSTS: true})
	p1, err := BuildPlan(tr.detection(t), s)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range p1.Files {
		rel, _ := filepath.Rel(tr.dir, f.Shown)
		tr.files[rel] = string(f.Content)
	}
	p2, err := BuildPlan(tr.detection(t), s)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range p2.Files {
		rel, _ := filepath.Rel(tr.dir, f.Shown)
		t.Errorf("rerun would change %s:\n--- first\n%s\n--- second\n%s", rel, tr.files[rel], f.Content)
	}
	if len(p2.Prepare) != 0 {
		t.Errorf("rerun should need no challenge preparation, got %+v", p2.Prepare)
	}
}

// An old hand-made SSL block (ssl on; TLSv1) in another file is the HTTPS
// site: it is modernised in place, and the plain block keeps port 80.
func TestPlanModernisesOldSSLBlockInPlace(t *testing.T) {
	tr := newTree(t, classicSite)
	tr.files["sites-enabled/old-ssl"] = "server {\n    listen 443;\n    ssl on;\n    ssl_protocols TLSv1;\n    server_name www.example.test;\n    ssl_certificate /etc/ssl/x.pem;\n    ssl_certificate_key /etc/ssl/x.key;\n    location / { proxy_pass http://127.0.0.1:5000; }\n}\n"
	p, err := BuildPlan(tr.detection(t), tr.settings(t, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	old := fileIn(p, filepath.Join(tr.dir, "sites-enabled/old-ssl"))
	if old == nil {
		t.Fatal("the old ssl block is not edited")
	}
	got := string(old.Content)
	for _, bad := range []string{"ssl on", "TLSv1;", "/etc/ssl/x.pem"} {
		if strings.Contains(got, bad) {
			t.Errorf("old block still has %q:\n%s", bad, got)
		}
	}
	for _, want := range []string{"listen 443 ssl http2;", "location / { proxy_pass http://127.0.0.1:5000; proxy_set_header X-Forwarded-Proto $scheme; }"} {
		if !strings.Contains(got, want) {
			t.Errorf("old block lacks %q:\n%s", want, got)
		}
	}
	plain := fileIn(p, filepath.Join(tr.dir, "sites-enabled/app"))
	if plain == nil || !strings.Contains(string(plain.Content), "location ^~ /.well-known/acme-challenge/") || !strings.Contains(string(plain.Content), "include proxy_params;") {
		t.Fatalf("the port-80 block should keep its content and serve challenges: %+v", plain)
	}
	if !strings.Contains(strings.Join(p.Warnings, "\n"), "still serves the site over plain http") {
		t.Errorf("warnings = %q", p.Warnings)
	}
}

// A file httpsify cannot read (a Lua block) stops the run only when it
// may be part of the site; otherwise it is left alone with a warning.
func TestPlanOpaqueFiles(t *testing.T) {
	lua := "server {\n    server_name NAME;\n    location /lua { content_by_lua_block { ngx.say('hi') } }\n}\n"
	tr := newTree(t, classicSite)
	tr.files["sites-enabled/lua"] = strings.ReplaceAll(lua, "NAME", "api.other.test")
	p, err := BuildPlan(tr.detection(t), tr.settings(t, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "sites-enabled/lua") {
		t.Errorf("warnings = %v", p.Warnings)
	}
	for _, name := range []string{"www.example.test", "*.example.test"} {
		tr.files["sites-enabled/lua"] = strings.ReplaceAll(lua, "NAME", name)
		if _, err := BuildPlan(tr.detection(t), tr.settings(t, Options{})); err == nil || !strings.Contains(err.Error(), "cannot fully read") {
			t.Errorf("%s in a Lua file: err = %v", name, err)
		}
	}
}

func TestPlanRefusals(t *testing.T) {
	cases := []struct {
		name, site, field, msg string
		opts                   Options
	}{
		{"other names in the block", strings.Replace(classicSite, "www.example.test;", "www.example.test blog.example.test;", 1), "--domain", "also answers blog.example.test", Options{}},
		{"two blocks on port 80", classicSite + strings.Replace(classicSite, "app.log", "b.log", 1), "", "answered by two server blocks", Options{}},
		{"no site and no upstream", "", "--upstream", "required", Options{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := newTree(t, c.site)
			_, err := BuildPlan(tr.detection(t), tr.settings(t, c.opts))
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("err = %v, want %q", err, c.msg)
			}
			var fe *FieldError
			if c.field != "" && (!errors.As(err, &fe) || fe.Field != c.field) {
				t.Fatalf("err %v does not name %s", err, c.field)
			}
		})
	}
}

// A brand-new site goes to sites-available with a sites-enabled link.
func TestPlanNewSiteInSitesAvailable(t *testing.T) {
	tr := newTree(t, "")
	p, err := BuildPlan(tr.detection(t), tr.settings(t, Options{Upstream: "127.0.0.1:8000"}))
	if err != nil {
		t.Fatal(err)
	}
	avail := filepath.Join(tr.dir, "sites-available/www.example.test.conf")
	link := filepath.Join(tr.dir, "sites-enabled/www.example.test.conf")
	var sawFile, sawLink bool
	for _, f := range p.Files {
		sawFile = sawFile || f.Path == avail && strings.Contains(string(f.Content), "proxy_pass http://127.0.0.1:8000;")
		sawLink = sawLink || f.Path == link && f.Symlink == avail
	}
	if !sawFile || !sawLink {
		t.Fatalf("files = %+v", p.Files)
	}
}

// CheckUpstream dials the app the plan renders: a dead one is a warning,
// a live one (unix socket or TCP) is not.
func TestPlanCheckUpstream(t *testing.T) {
	tr := newTree(t, classicSite) // its app socket /srv/app/app.sock does not exist
	p, err := BuildPlan(tr.detection(t), tr.settings(t, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	p.CheckUpstream()
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "http://unix:/srv/app/app.sock does not answer") {
		t.Fatalf("warnings = %v", p.Warnings)
	}
	sock := filepath.Join(tr.dir, "app.sock")
	for _, up := range []struct{ network, addr, flag string }{
		{"unix", sock, "unix:" + sock},
		{"tcp", "127.0.0.1:0", ""},
	} {
		l, err := net.Listen(up.network, up.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		flag := up.flag
		if flag == "" {
			flag = l.Addr().String()
		}
		p, err := BuildPlan(tr.detection(t), tr.settings(t, Options{Upstream: flag}))
		if err != nil {
			t.Fatal(err)
		}
		p.CheckUpstream()
		if len(p.Warnings) != 0 {
			t.Errorf("%s: warnings = %v", flag, p.Warnings)
		}
	}
}
