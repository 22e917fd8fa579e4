package nginx

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

func newTree(t testing.TB, site string) *tree {
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

func (tr *tree) detection(t testing.TB) *Detection {
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
	d := New(Nginx{Bin: "nginx", Conf: files[0].Path}, Version{1, 22, 1}, cfg)
	d.Running = true
	return d
}

func (tr *tree) settings(t testing.TB, o Options) *Settings {
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
	if len(p.ChallengeEdits()) != 1 || !strings.Contains(string(p.ChallengeEdits()[0].Content), "location ^~ /.well-known/acme-challenge/ { root "+p.Webroot+";") ||
		!strings.Contains(string(p.ChallengeEdits()[0].Content), "include proxy_params;") {
		t.Fatalf("prepare = %+v", p.ChallengeEdits())
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
	if len(p2.ChallengeEdits()) != 0 {
		t.Errorf("rerun should need no challenge preparation, got %+v", p2.ChallengeEdits())
	}
}

// An old hand-made SSL block (ssl on; TLSv1) in another file is the HTTPS
// site: it is modernised in place, and the plain block on port 80 keeps
// its lines but redirects.
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
	// The plain block that served the site on port 80 now redirects, in
	// place: a return after the challenge guard; its lines all stay.
	plain := fileIn(p, filepath.Join(tr.dir, "sites-enabled/app"))
	if plain == nil {
		t.Fatal("the port-80 block is not edited")
	}
	want := "server {\n    " + challengeGuard + "\n    return 301 https://$host$request_uri; " + redirectNote + "\n    " + acmeLocation(p.Webroot) + "\n    listen 80;\n"
	if got := string(plain.Content); !strings.HasPrefix(got, want) || !strings.Contains(got, "include proxy_params;") || !strings.Contains(got, "access_log /var/log/nginx/app.log;") {
		t.Fatalf("port-80 block:\n%s", got)
	}
	for _, f := range p.Files {
		rel, _ := filepath.Rel(tr.dir, f.Shown)
		tr.files[rel] = string(f.Content)
	}
	if p2, err := BuildPlan(tr.detection(t), tr.settings(t, Options{})); err != nil || len(p2.Files) != 0 {
		t.Errorf("rerun: %v %+v", err, p2)
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
			if c.field != "" && (!errors.As(err, &fe) || "--"+fe.Field != c.field) {
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

// CheckApp dials the app the plan renders: a dead one is a warning,
// a live one (unix socket or TCP) is not.
func TestPlanCheckUpstream(t *testing.T) {
	tr := newTree(t, classicSite) // its app socket /srv/app/app.sock does not exist
	p, err := BuildPlan(tr.detection(t), tr.settings(t, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckApp(p); err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "nothing answers at unix:/srv/app/app.sock") {
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
		if err := CheckApp(p); err != nil {
			t.Fatal(err)
		}
		if len(p.Warnings) != 0 {
			t.Errorf("%s: warnings = %v", flag, p.Warnings)
		}
	}
}

// Socket options and default_server may be given once per address:port;
// when another server already sets them on the HTTPS port, the new TLS
// listen leaves them out (with a warning) instead of breaking nginx -t,
// and the plain listen moves to httpsify's port-80 server unchanged.
func TestPlanListenOptionsAndConflicts(t *testing.T) {
	site := `server {
    listen 80 default_server reuseport backlog=511 proxy_protocol;
    listen [::]:80 ipv6only=on default_server;
    server_name www.example.test;
    location / { proxy_pass http://127.0.0.1:3000; }
}
`
	tr := newTree(t, site)
	p, err := BuildPlan(tr.detection(t), tr.settings(t, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	got := string(fileIn(p, filepath.Join(tr.dir, "sites-enabled/app")).Content)
	for _, want := range []string{
		"    listen 443 ssl http2 default_server reuseport backlog=511 proxy_protocol;\n    listen [::]:443 ssl http2 ipv6only=on default_server;\n",
		"    listen 80 default_server reuseport backlog=511 proxy_protocol;\n    listen [::]:80 ipv6only=on default_server;\n    server_name www.example.test;\n\n    location ^~ /.well-known/acme-challenge/",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("site lacks %q:\n%s", want, got)
		}
	}

	tr.files["sites-enabled/other"] = "server {\n    listen 443 ssl default_server reuseport;\n    server_name other.test;\n    ssl_certificate /x.pem;\n    ssl_certificate_key /x.key;\n}\n"
	p, err = BuildPlan(tr.detection(t), tr.settings(t, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	got = string(fileIn(p, filepath.Join(tr.dir, "sites-enabled/app")).Content)
	if !strings.Contains(got, "    listen 443 ssl http2 proxy_protocol;\n    listen [::]:443 ssl http2 ipv6only=on default_server;\n") {
		t.Errorf("conflicting options kept:\n%s", got)
	}
	if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, "leaves out default_server reuseport backlog=511") {
		t.Errorf("warnings = %q", p.Warnings)
	}
}

// With --hsts, a location that sets add_header of its own would not
// inherit the server's HSTS line, so it gets one beside its headers.
func TestPlanHSTSBesideLocationHeaders(t *testing.T) {
	site := `server {
    listen 80;
    server_name www.example.test;
    location / {
        add_header X-Frame-Options SAMEORIGIN;
        proxy_pass http://127.0.0.1:3000;
    }
    location /static/ { root /srv; }
}
`
	tr := newTree(t, site)
	p, err := BuildPlan(tr.detection(t), tr.settings(t, Options{HSTS: true}))
	if err != nil {
		t.Fatal(err)
	}
	got := string(fileIn(p, filepath.Join(tr.dir, "sites-enabled/app")).Content)
	want := "        add_header X-Frame-Options SAMEORIGIN;\n        add_header Strict-Transport-Security \"max-age=63072000\" always; # added by httpsify\n"
	if !strings.Contains(got, want) || strings.Count(got, "Strict-Transport-Security") != 2 {
		t.Errorf("site:\n%s", got)
	}
}

// Refusals name the file and say what to change.
func TestPlanRefusalsSayWhatToChange(t *testing.T) {
	cases := []struct{ name, site, extra, msg string }{
		{"certificate in an include", "server {\n    listen 443 ssl;\n    server_name www.example.test;\n    include snippets/cert.conf;\n}\n",
			"ssl_certificate /x.pem;\nssl_certificate_key /x.key;\n", "remove that include line"},
		{"plain listen in an include", "server {\n    include snippets/cert.conf;\n    server_name www.example.test;\n}\n",
			"listen 80;\n", "move the listen lines into the block itself"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := newTree(t, c.site)
			tr.files["snippets/cert.conf"] = c.extra
			tr.files["sites-enabled/app"] = strings.ReplaceAll(c.site, "snippets/", tr.dir+"/snippets/")
			_, err := BuildPlan(tr.detection(t), tr.settings(t, Options{}))
			if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), "snippets/cert.conf") {
				t.Fatalf("err = %v, want %q", err, c.msg)
			}
		})
	}
}

// proxy_pass to an `upstream NAME {}` block is checked at its servers,
// never by looking NAME up.
func TestPlanCheckUpstreamResolvesUpstreamBlocks(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	site := "upstream grafana {\n    server ADDR;\n}\nserver {\n    listen 80;\n    server_name www.example.test;\n    location / { proxy_pass http://grafana; }\n}\n"
	tr := newTree(t, strings.Replace(site, "ADDR", l.Addr().String(), 1))
	p, err := BuildPlan(tr.detection(t), tr.settings(t, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckApp(p); err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 0 {
		t.Errorf("a live upstream server is reported: %v", p.Warnings)
	}
	tr = newTree(t, strings.Replace(site, "ADDR", "127.0.0.1:9", 1))
	p, err = BuildPlan(tr.detection(t), tr.settings(t, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckApp(p); err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "nothing answers at http://grafana") {
		t.Errorf("a dead upstream server is not reported: %v", p.Warnings)
	}
}

// A block that only redirects to https, with no TLS site behind it: with
// --upstream the new TLS site goes after it and the block stays, serving
// challenges; without, the refusal says why.
func TestPlanRedirectOnlyBlock(t *testing.T) {
	site := "server {\n    listen 80;\n    server_name www.example.test;\n    return 301 https://$host$request_uri;\n}\n"
	tr := newTree(t, site)
	if _, err := BuildPlan(tr.detection(t), tr.settings(t, Options{})); err == nil || !strings.Contains(err.Error(), "only redirects") {
		t.Fatalf("err = %v", err)
	}
	p, err := BuildPlan(tr.detection(t), tr.settings(t, Options{Upstream: "127.0.0.1:8000"}))
	if err != nil {
		t.Fatal(err)
	}
	got := string(fileIn(p, filepath.Join(tr.dir, "sites-enabled/app")).Content)
	for _, want := range []string{challengeGuard, "    return 301 https://$host$request_uri;\n}\n\nmap $http_upgrade", "proxy_pass http://127.0.0.1:8000;", "listen 443 ssl"} {
		if !strings.Contains(got, want) {
			t.Errorf("site lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "listen 80;") != 1 {
		t.Errorf("a second port-80 server was added:\n%s", got)
	}
	for _, f := range p.Files {
		rel, _ := filepath.Rel(tr.dir, f.Shown)
		tr.files[rel] = string(f.Content)
	}
	if p2, err := BuildPlan(tr.detection(t), tr.settings(t, Options{Upstream: "127.0.0.1:8000"})); err != nil || len(p2.Files) != 0 {
		t.Errorf("rerun: %v %+v", err, p2)
	}
}

// A server written on one line still gets its TLS lines inside the block.
func TestPlanOneLineServer(t *testing.T) {
	tr := newTree(t, "server { listen 80; server_name www.example.test; location / { proxy_pass http://127.0.0.1:3000; } }\n")
	s := tr.settings(t, Options{})
	p, err := BuildPlan(tr.detection(t), s)
	if err != nil {
		t.Fatal(err)
	}
	got := string(fileIn(p, filepath.Join(tr.dir, "sites-enabled/app")).Content)
	files := []nginxconf.File{{Path: "site", Content: []byte("http {\n" + got + "}\n")}}
	cfg, err := nginxconf.Analyze(files)
	if err != nil {
		t.Fatalf("%v:\n%s", err, got)
	}
	for _, d := range cfg.HTTP {
		if d.Name != "server" {
			t.Errorf("%s landed at http level:\n%s", d.Name, got)
		}
	}
	if len(cfg.Servers) != 2 || !strings.Contains(got, "ssl_certificate ") {
		t.Errorf("site:\n%s", got)
	}
	for _, f := range p.Files {
		rel, _ := filepath.Rel(tr.dir, f.Shown)
		tr.files[rel] = string(f.Content)
	}
	if p2, err := BuildPlan(tr.detection(t), s); err != nil || len(p2.Files) != 0 {
		t.Errorf("rerun: %v, %d files", err, len(p2.Files))
	}
}

// A block without any listen serves *:80; its TLS twin is written out and
// port 80 goes to httpsify's server.
func TestPlanImplicitListen(t *testing.T) {
	tr := newTree(t, "server {\n    server_name www.example.test;\n    root /srv/www;\n}\n")
	s := tr.settings(t, Options{})
	p, err := BuildPlan(tr.detection(t), s)
	if err != nil {
		t.Fatal(err)
	}
	got := string(fileIn(p, filepath.Join(tr.dir, "sites-enabled/app")).Content)
	for _, want := range []string{"server {\n    server_name www.example.test;\n    listen 443 ssl http2;\n    # managed by httpsify\n", "    root /srv/www;\n}\n\nserver {\n    # managed by httpsify\n", "    listen 80;\n    server_name www.example.test;\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("site lacks %q:\n%s", want, got)
		}
	}
	for _, f := range p.Files {
		rel, _ := filepath.Rel(tr.dir, f.Shown)
		tr.files[rel] = string(f.Content)
	}
	if p2, err := BuildPlan(tr.detection(t), s); err != nil || len(p2.Files) != 0 {
		t.Errorf("rerun: %v, %+v", err, p2)
	}
}

// A brand-new site is written in the form an in-place edit keeps: a rerun
// over it changes nothing, whatever the options.
func TestPlanNewSiteRerunIsIdempotent(t *testing.T) {
	for i, o := range []Options{
		{Upstream: "127.0.0.1:8000"},
		{Upstream: "unix:/srv/app/app.sock", HSTS: true, NoHTTP2: true, ClientMaxBodySize: "20m", TLSProfile: "modern"},
		{Upstream: "127.0.0.1:8000", HSTS: true}, // on nginx 1.26: the http2 directive
	} {
		tr := newTree(t, "")
		s := tr.settings(t, o)
		detect := func() *Detection {
			d := tr.detection(t)
			if i == 2 {
				d.Version = Version{1, 26, 3}
			}
			return d
		}
		p, err := BuildPlan(detect(), s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range p.Files {
			if f.Symlink != "" {
				continue
			}
			rel, _ := filepath.Rel(tr.dir, f.Path)
			tr.files[strings.Replace(rel, "sites-available", "sites-enabled", 1)] = string(f.Content)
		}
		p2, err := BuildPlan(detect(), s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range p2.Files {
			t.Errorf("%+v: a rerun would change %s:\n%s", o, f.Path, f.Content)
		}
	}
}

// The wizard rebuilds the plan on every preview toggle: with the
// detection already made, a rebuild probes nothing on disk again.
func BenchmarkBuildPlanToggle(b *testing.B) {
	tr := newTree(b, classicSite)
	d := tr.detection(b)
	s := tr.settings(b, Options{})
	for i := 0; b.Loop(); i++ {
		s.HSTS = i%2 == 0
		if _, err := BuildPlan(d, s); err != nil {
			b.Fatal(err)
		}
	}
}
