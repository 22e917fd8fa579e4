package nginxconf

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// files builds a dump-like file list from alternating path, content pairs.
func files(pc ...string) []File {
	var fs []File
	for i := 0; i < len(pc); i += 2 {
		fs = append(fs, File{Path: pc[i], Content: []byte(pc[i+1])})
	}
	return fs
}

func analyze(t *testing.T, fs []File) *Config {
	t.Helper()
	c, err := Analyze(fs)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAnalyzeIncludes(t *testing.T) {
	c := analyze(t, files(
		"/etc/nginx/nginx.conf", `include /etc/nginx/modules-enabled/*.conf;
events {}
http {
    include mime.types;
    include conf.d/*.conf;
    include /etc/nginx/sites-enabled/*;
}
stream { server { listen 9000; proxy_pass 127.0.0.1:9001; } }
`,
		"/etc/nginx/modules-enabled/50-mod.conf", "load_module modules/x.so;\n",
		"/etc/nginx/mime.types", "types { text/html html; }\n",
		"/etc/nginx/sites-enabled/default", "server { listen 80 default_server; server_name _; }\n",
		"/etc/nginx/sites-enabled/b", "server { server_name b.test; }\n",
		"/etc/nginx/sites-enabled/.hidden", "server { server_name hidden.test; }\n", // read via some other include
		"/etc/nginx/sites-enabled/a", "server { server_name a.test; }\n",
	))
	var names []string
	for _, s := range c.Servers {
		names = append(names, strings.Join(s.Names, ","))
	}
	// glob order is sorted, dotfiles are not matched by '*', stream is ignored.
	if want := []string{"a.test", "b.test", "_"}; !reflect.DeepEqual(names, want) {
		t.Errorf("servers %q, want %q", names, want)
	}
	want := []IncludeSite{
		{"mime.types", "/etc/nginx/mime.types", "/etc/nginx/nginx.conf"},
		{"conf.d/*.conf", "/etc/nginx/conf.d/*.conf", "/etc/nginx/nginx.conf"},
		{"/etc/nginx/sites-enabled/*", "/etc/nginx/sites-enabled/*", "/etc/nginx/nginx.conf"},
	}
	if !reflect.DeepEqual(c.Includes, want) {
		t.Errorf("Includes %+v", c.Includes)
	}
	var http []string
	for _, d := range c.HTTP {
		http = append(http, d.Name+"@"+d.File)
	}
	wantHTTP := []string{"types@/etc/nginx/mime.types", "server@/etc/nginx/sites-enabled/a",
		"server@/etc/nginx/sites-enabled/b", "server@/etc/nginx/sites-enabled/default"}
	if !reflect.DeepEqual(http, wantHTTP) {
		t.Errorf("HTTP %q", http)
	}
	if s := c.Servers[1]; !reflect.DeepEqual(s.Listens, []Listen{{Port: 80}}) {
		t.Errorf("default listen %+v", s.Listens)
	}
	if b, ok := c.FileContent("/etc/nginx/mime.types"); !ok || string(b) != "types { text/html html; }\n" {
		t.Errorf("FileContent = %q, %v", b, ok)
	}
	if _, ok := c.FileContent("/nope"); ok {
		t.Error("FileContent found a missing file")
	}
}

func TestAnalyzeRawIncludePath(t *testing.T) {
	// nginx dumps "./x" includes under the uncleaned joined name.
	c := analyze(t, files(
		"/tmp/n/nginx.conf", "http { include ./sites/a.conf; }",
		"/tmp/n/./sites/a.conf", "server { server_name a; }",
	))
	if len(c.Servers) != 1 || c.Servers[0].File != "/tmp/n/./sites/a.conf" || c.Includes[0].Abs != "/tmp/n/sites/a.conf" {
		t.Errorf("servers %+v includes %+v", c.Servers, c.Includes)
	}
}

func TestAnalyzeErrors(t *testing.T) {
	tests := []struct {
		fs   []File
		want string
	}{
		{nil, "no configuration"},
		{files("/e/nginx.conf", "http { include missing.conf; }"), "/e/nginx.conf:1: included file /e/missing.conf is not in the nginx -T dump"},
		{files("/e/nginx.conf", "http {\n content_by_lua_block { ngx.say('{') }\n}\n"), "/e/nginx.conf:2: directive \"content_by_lua_block\" not understood"},
		{files("/e/nginx.conf", "http { include a.conf; }", "/e/a.conf", "include a.conf;"), "nested too deeply"},
		{files("/e/nginx.conf", "http { include a b; }"), "/e/nginx.conf:1: include needs exactly one argument"},
	}
	for _, tt := range tests {
		_, err := Analyze(tt.fs)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got %v, want %q", err, tt.want)
		}
		var pe *ParseError
		if tt.fs != nil && !errors.As(err, &pe) {
			t.Errorf("%v is not a *ParseError", err)
		}
	}
}

// A file nginx accepts but httpsify cannot read (Lua, say) does not hide
// the rest of the configuration; it is listed, and a server that includes
// one is not rewritten.
func TestAnalyzeOpaqueFiles(t *testing.T) {
	c := analyze(t, files(
		"/e/nginx.conf", "http { include sites/*.conf; }",
		"/e/sites/a.conf", "server { server_name a.test; location / { content_by_lua_block { ngx.say('{') } } }",
		"/e/sites/b.conf", "server { server_name b.test; include snippets/lua.conf; }",
		"/e/sites/c.conf", "server { server_name c.test; }",
		"/e/snippets/lua.conf", "access_by_lua_block { return }",
		"/e/sites/d.conf", "server {\n  listen 80;\n",
	))
	var opaque []string
	for _, o := range c.Opaque {
		opaque = append(opaque, o.Path)
		var pe *ParseError
		if !errors.As(o.Err, &pe) {
			t.Errorf("%s: %v is not a *ParseError", o.Path, o.Err)
		}
	}
	if strings.Join(opaque, " ") != "/e/sites/a.conf /e/snippets/lua.conf /e/sites/d.conf" {
		t.Errorf("opaque = %v", opaque)
	}
	var names []string
	for _, s := range c.Servers {
		names = append(names, s.Names[0])
	}
	if strings.Join(names, " ") != "b.test c.test" {
		t.Fatalf("servers = %v", names)
	}
	if len(c.Servers[0].Problems) == 0 || !strings.Contains(strings.Join(c.Servers[0].Problems, ";"), "cannot read") {
		t.Errorf("b.test includes an opaque file but has problems %v", c.Servers[0].Problems)
	}
	if len(c.Servers[1].Problems) != 0 {
		t.Errorf("c.test problems %v", c.Servers[1].Problems)
	}
}

func TestServerProblems(t *testing.T) {
	c := analyze(t, files(
		"/etc/nginx/nginx.conf", `http {
server {
    listen 80;
    server_name Clean.Example.TEST ~^(?<u>\D+)\.test$;
    root /var/www;
    gzip on; gzip_types text/css;
    proxy_read_timeout 60;
    fastcgi_param A b; uwsgi_param A b;
    ssl_protocols TLSv1.2;
    include proxy_params;
    include snippets/headers.conf;
    location / { if ($x) { rewrite ^ /y; } lua_foo bar; }
}
server {
    server_name weird.test;
    if ($host != weird.test) { return 404; }
    rewrite ^/old /new permanent;
    limit_req zone=one;
    include conf.d/other.conf;
    include snippets/listen.conf;
    listen unix:/run/x.sock;
}
server {
    # managed by httpsify
    listen 443 ssl;
    server_name managed.test;
}
server {
    listen 8443;
    server_name old.test;
    return 301 "https://x # managed by httpsify";
    ssl on;
}
}
`,
		"/etc/nginx/proxy_params", "proxy_set_header Host $host;\n",
		"/etc/nginx/snippets/headers.conf", "add_header X-A b;\n",
		"/etc/nginx/conf.d/other.conf", "add_header X-B c;\n",
		"/etc/nginx/snippets/listen.conf", "listen 8080;\nserver_name extra.test;\nssl_certificate x.pem;\nlocation /s { }\nmore_set_headers x;\n",
	))
	if len(c.Servers) != 4 {
		t.Fatalf("%d servers", len(c.Servers))
	}
	clean, weird, managed, old := c.Servers[0], c.Servers[1], c.Servers[2], c.Servers[3]
	if len(clean.Problems) != 0 || clean.Managed || clean.SSL {
		t.Errorf("clean: problems %q managed %v ssl %v", clean.Problems, clean.Managed, clean.SSL)
	}
	if want := []string{"clean.example.test", `~^(?<u>\D+)\.test$`}; !reflect.DeepEqual(clean.Names, want) {
		t.Errorf("clean names %q", clean.Names)
	}
	if len(clean.Directives) != 12 || len(clean.Locations) != 1 {
		t.Errorf("clean: %d directives, %d locations", len(clean.Directives), len(clean.Locations))
	}
	// nginx accepted every one of these; an in-place edit keeps them, so
	// none is a problem (the planner judges the few it has to touch).
	if len(weird.Problems) != 0 {
		t.Errorf("weird problems: %q", weird.Problems)
	}
	if len(weird.Locations) != 1 || weird.Locations[0].Via != "/etc/nginx/snippets/listen.conf" {
		t.Errorf("weird locations %+v", weird.Locations)
	}
	// What an included file sets still counts: nginx applies it.
	if !reflect.DeepEqual(weird.Names, []string{"weird.test", "extra.test"}) || len(weird.Listens) != 1 || weird.Listens[0].Port != 8080 {
		t.Errorf("weird names %q listens %+v", weird.Names, weird.Listens)
	}
	if !managed.Managed || !managed.SSL || len(managed.Problems) != 0 {
		t.Errorf("managed: %+v", managed)
	}
	// The marker inside a quoted string is not a comment.
	if old.Managed || !old.SSL || len(old.Problems) != 0 {
		t.Errorf("old: %+v", old)
	}
}

func TestServersFor(t *testing.T) {
	c := analyze(t, files("/etc/nginx/nginx.conf", `http {
server { listen 80; listen [::]:80; server_name example.test www.example.test; }
server { listen 443 ssl; server_name example.test; }
server { listen 80; server_name *.example.test; }
server { listen 8080; server_name .example.test; }
server { listen 80; server_name mail.*; }
server { listen 80 default_server; server_name _; }
server { server_name ~^example\.test$; }
}`))
	s := c.Servers
	tests := []struct {
		name string
		port int
		want []*Server
	}{
		{"example.test", 80, []*Server{s[0]}}, // listed once despite two listens on 80
		{"EXAMPLE.TEST.", 80, []*Server{s[0]}},
		{"example.test", 443, []*Server{s[1]}},
		{"www.example.test", 80, []*Server{s[0], s[2]}},
		{"a.b.example.test", 80, []*Server{s[2]}},
		{"example.test", 8080, []*Server{s[3]}},
		{"x.example.test", 8080, []*Server{s[3]}},
		{"notexample.test", 8080, nil},
		{"mail.example.org", 80, []*Server{s[4]}},
		{"mail", 80, nil},
		{"other.test", 80, nil},
		{"example.test", 81, nil},
	}
	for _, tt := range tests {
		if got := c.ServersFor(tt.name, tt.port); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ServersFor(%q, %d) = %d servers, want %d", tt.name, tt.port, len(got), len(tt.want))
		}
	}
}
