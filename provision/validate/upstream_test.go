package validate

import (
	"strings"
	"testing"
)

func TestParseUpstreamValid(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   Upstream
		str    string // String()
		nginx  string
		apache string
	}{
		{"unix:/srv/app/app.sock", Upstream{Kind: UpstreamUnix, Socket: "/srv/app/app.sock", Scheme: "http"},
			"unix:/srv/app/app.sock", "http://unix:/srv/app/app.sock", "unix:/srv/app/app.sock|http://localhost/"},
		{"UNIX:/run/php/php8.2-fpm@www.sock", Upstream{Kind: UpstreamUnix, Socket: "/run/php/php8.2-fpm@www.sock", Scheme: "http"},
			"unix:/run/php/php8.2-fpm@www.sock", "http://unix:/run/php/php8.2-fpm@www.sock", "unix:/run/php/php8.2-fpm@www.sock|http://localhost/"},
		{"unix:/p.sock:/path", Upstream{Kind: UpstreamUnix, Socket: "/p.sock", Scheme: "http", Path: "/path"},
			"unix:/p.sock:/path", "http://unix:/p.sock:/path", "unix:/p.sock|http://localhost/path/"},
		{"127.0.0.1:8000", Upstream{Kind: UpstreamHostPort, Scheme: "http", Host: "127.0.0.1", Port: 8000},
			"127.0.0.1:8000", "http://127.0.0.1:8000", "http://127.0.0.1:8000/"},
		{"[::1]:8000", Upstream{Kind: UpstreamHostPort, Scheme: "http", Host: "::1", Port: 8000},
			"[::1]:8000", "http://[::1]:8000", "http://[::1]:8000/"},
		{"[2001:DB8:0:0::1]:80", Upstream{Kind: UpstreamHostPort, Scheme: "http", Host: "2001:db8::1", Port: 80},
			"[2001:db8::1]:80", "http://[2001:db8::1]:80", "http://[2001:db8::1]:80/"},
		{"localhost:3000", Upstream{Kind: UpstreamHostPort, Scheme: "http", Host: "localhost", Port: 3000},
			"localhost:3000", "http://localhost:3000", "http://localhost:3000/"},
		{"App:65535", Upstream{Kind: UpstreamHostPort, Scheme: "http", Host: "app", Port: 65535},
			"app:65535", "http://app:65535", "http://app:65535/"},
		{"https://api.internal:8443/base/", Upstream{Kind: UpstreamURL, Scheme: "https", Host: "api.internal", Port: 8443, Path: "/base/"},
			"https://api.internal:8443/base/", "https://api.internal:8443/base/", "https://api.internal:8443/base/"},
		{"HTTP://Backend", Upstream{Kind: UpstreamURL, Scheme: "http", Host: "backend"},
			"http://backend", "http://backend", "http://backend/"},
		{"http://10.0.0.5/app", Upstream{Kind: UpstreamURL, Scheme: "http", Host: "10.0.0.5", Path: "/app"},
			"http://10.0.0.5/app", "http://10.0.0.5/app", "http://10.0.0.5/app/"},
		{"http://[fe80::1]:8080/", Upstream{Kind: UpstreamURL, Scheme: "http", Host: "fe80::1", Port: 8080, Path: "/"},
			"http://[fe80::1]:8080/", "http://[fe80::1]:8080/", "http://[fe80::1]:8080/"},
		{"http://bücher.example:81/~u/a_b.c-d", Upstream{Kind: UpstreamURL, Scheme: "http", Host: "xn--bcher-kva.example", Port: 81, Path: "/~u/a_b.c-d"},
			"http://xn--bcher-kva.example:81/~u/a_b.c-d", "http://xn--bcher-kva.example:81/~u/a_b.c-d", "http://xn--bcher-kva.example:81/~u/a_b.c-d/"},
	} {
		got, err := ParseUpstream(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseUpstream(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			continue
		}
		if s := got.String(); s != tc.str {
			t.Errorf("ParseUpstream(%q).String() = %q; want %q", tc.in, s, tc.str)
		}
		if s := got.NginxProxyPass(); s != tc.nginx {
			t.Errorf("ParseUpstream(%q).NginxProxyPass() = %q; want %q", tc.in, s, tc.nginx)
		}
		if s := got.ApacheProxyPass(); s != tc.apache {
			t.Errorf("ParseUpstream(%q).ApacheProxyPass() = %q; want %q", tc.in, s, tc.apache)
		}
		if again, err := ParseUpstream(got.String()); err != nil || again != got {
			t.Errorf("ParseUpstream(%q) round trip = %+v, %v; want %+v", got.String(), again, err, got)
		}
	}
}

func TestParseUpstreamInvalid(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "empty"},
		{"a.test; include /etc/shadow", "whitespace"},
		{"a.test;include", `';'`},
		{"127.0.0.1:8000\nproxy_pass evil", "whitespace"},
		{"http://$host", `'$'`},
		{"http://a/{x}", `'{'`},
		{`http://a/"x"`, `'"'`},
		{"http://a/x#frag", `'#'`},
		{"http://a/x?q=1", "query strings"},
		{"http://user:pw@a/", "user names and passwords"},
		{"ftp://a/", "scheme must be http or https"},
		{"http://", "host is missing"},
		{"http:///x", "host is missing"},
		{"http://a:/", "port is missing"},
		{"localhost", "port is missing"},
		{"127.0.0.1", "port is missing"},
		{"[::1]", "port is missing"},
		{"127.0.0.1:0", "out of range"},
		{"127.0.0.1:65536", "out of range"},
		{"127.0.0.1:-1", "not a number"},
		{"127.0.0.1:+80", "not a number"},
		{"127.0.0.1:8000x", "not a number"},
		{"::1:8000", "brackets"},
		{"[::1", "missing ]"},
		{"[::1]x", "unexpected text"},
		{"[1.2.3.4]:80", "not a valid IPv6"},
		{"[fe80::1%eth0]:80", "not a valid IPv6"},
		{"a_b:80", `'_'`},
		{"-a:80", "hyphen"},
		{"8000:80", "all-numeric"},
		{"01.2.3.4:80", "all-numeric"},
		{"a..b:80", "empty label"},
		{"unix:", "socket path is missing"},
		{"unix:/", "socket path is missing"},
		{"unix:relative.sock", "must be absolute"},
		{"unix:/srv/../etc/x.sock", `".."`},
		{"unix://srv/app.sock", `"//"`},
		{"unix:/srv/app sock", "whitespace"},
		{"unix:/p.sock:", "nothing after"},
		{"unix:/p.sock:path", "must start with /"},
		{"unix:/" + strings.Repeat("a", 107) + ".sock", "limited to 107"},
		{"http://a/../x", `".."`},
		{"http://a/%2e", `'%'`},
		{"http://a/x:y", `':'`},
		{"http://a|b/", `'|'`},
		{"a/b:80", "not an upstream"},
		{"http://*.example/", `'*'`},
	} {
		got, err := ParseUpstream(tc.in)
		if err == nil {
			t.Errorf("ParseUpstream(%q) = %+v; want error containing %q", tc.in, got, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseUpstream(%q) error %q; want it to contain %q", tc.in, err, tc.want)
		}
	}
}

func TestUpstreamZero(t *testing.T) {
	var u Upstream
	if u.String() != "" || u.NginxProxyPass() != "" || u.ApacheProxyPass() != "" {
		t.Errorf("zero Upstream renders as %q %q %q; want empty", u.String(), u.NginxProxyPass(), u.ApacheProxyPass())
	}
}

// The forms the Flask/gunicorn crowd types: each gets the fix, not a
// generic "not an upstream".
func TestParseUpstreamAsTyped(t *testing.T) {
	for _, tc := range []struct{ in, wantErr string }{
		{"/srv/myproject/app.sock", "write it as unix:/srv/myproject/app.sock"},
		{"myproject.sock", "a socket path must be absolute"},
		{"run/app.sock", "a socket path must be absolute"},
		{"unix:myproject.sock", "must be absolute"},
	} {
		_, err := ParseUpstream(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("ParseUpstream(%q) = %v; want an error saying %q", tc.in, err, tc.wantErr)
		}
	}
	for _, tc := range []struct{ in, want, note string }{
		{"127.0.0.1:8000/", "127.0.0.1:8000", ""},
		{"0.0.0.0:8000", "127.0.0.1:8000", "nginx will connect to 127.0.0.1:8000"},
		{"http://0.0.0.0:5000/", "http://127.0.0.1:5000/", "nginx will connect to 127.0.0.1:5000"},
		{"[::]:8000", "[::1]:8000", "nginx will connect to [::1]:8000"},
	} {
		u, err := ParseUpstream(tc.in)
		if err != nil || u.String() != tc.want || !strings.Contains(u.Note, tc.note) || (tc.note == "") != (u.Note == "") {
			t.Errorf("ParseUpstream(%q) = %q (note %q), %v; want %q (note %q)", tc.in, u.String(), u.Note, err, tc.want, tc.note)
		}
	}
}
