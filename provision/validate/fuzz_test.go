package validate

import (
	"strings"
	"testing"
)

// The fuzz property for every validator: it never panics; errors are
// printable; on success the output is config-safe ASCII, and validating
// the output again returns it unchanged.

func FuzzDomain(f *testing.F) {
	for _, s := range []string{
		"example.com", "WWW.Example.TEST.", "Bücher.example", "xn--bcher-kva.example", "*.example.com",
		"localhost", "1.2.3.4", "[::1]", "a.test; include /etc/shadow", "p\u0430ypal.example",
		"exa\u200dmple.com", "ｅｘａｍｐｌｅ.com", "example。com", "a..b", "straße.de",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, wildcard bool) {
		d, err := Domain(s, wildcard)
		if err != nil {
			assertQuietError(t, "Domain", s, err)
			return
		}
		assertSafe(t, "Domain", s, d, domainChars)
		if len(d) > maxName {
			t.Errorf("Domain(%q) = %q: longer than %d", s, d, maxName)
		}
		labels := strings.Split(d, ".")
		if len(labels) < 2 {
			t.Errorf("Domain(%q) = %q: fewer than two labels", s, d)
		}
		for i, l := range labels {
			if l == "" || len(l) > maxLabel || l[0] == '-' || l[len(l)-1] == '-' || (l == "*") != (i == 0 && wildcard && strings.HasPrefix(d, "*.")) {
				t.Errorf("Domain(%q) = %q: bad label %q", s, d, l)
			}
		}
		if again, err := Domain(d, wildcard); err != nil || again != d {
			t.Errorf("Domain(%q) = %q, but Domain(%q) = %q, %v", s, d, d, again, err)
		}
	})
}

func FuzzUpstream(f *testing.F) {
	for _, s := range []string{
		"unix:/srv/app/app.sock", "unix:/p.sock:/path", "127.0.0.1:8000", "[::1]:8000", "localhost:3000",
		"http://backend", "https://api.internal:8443/base/", "http://[fe80::1]:8080/", "http://bücher.example/x",
		"a.test; include /etc/shadow", "http://$host", "http://u@a/", "http://a/?q", "::1:80",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUpstream(s)
		if err != nil {
			assertQuietError(t, "ParseUpstream", s, err)
			return
		}
		for _, out := range []string{u.String(), u.NginxProxyPass(), u.ApacheProxyPass(), u.Scheme} {
			assertSafe(t, "ParseUpstream", s, out, upstreamChars)
		}
		for _, out := range []string{u.Socket, u.Host, u.Path} {
			if out != "" {
				assertSafe(t, "ParseUpstream", s, out, upstreamChars)
			}
		}
		if again, err := ParseUpstream(u.String()); err != nil || again != u {
			t.Errorf("ParseUpstream(%q) = %+v, but ParseUpstream(%q) = %+v, %v", s, u, u.String(), again, err)
		}
	})
}

func FuzzEmail(f *testing.F) {
	for _, s := range []string{
		"admin@example.com", "Admin.Ops+tls@Example.COM", "ops@bücher.example", "a@b@c.d",
		"Admin <admin@example.com>", "a;b@example.com", "admin@example.com\nBcc: x@y.z", "admin@[127.0.0.1]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Email(s)
		if err != nil {
			assertQuietError(t, "Email", s, err)
			return
		}
		assertSafe(t, "Email", s, e, emailChars)
		if len(e) > maxEmail || strings.Count(e, "@") != 1 {
			t.Errorf("Email(%q) = %q: too long or not one @", s, e)
		}
		if again, err := Email(e); err != nil || again != e {
			t.Errorf("Email(%q) = %q, but Email(%q) = %q, %v", s, e, e, again, err)
		}
	})
}

func FuzzPath(f *testing.F) {
	for _, s := range []string{
		"/", "/etc/nginx/conf.d/", "/home/u/.config/a_b+c@d", "/etc/../shadow", "//etc", "relative",
		"/etc/nginx/a b", "/etc/nginx/$host", "/etc/nginx/a\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Path(s)
		if err != nil {
			assertQuietError(t, "Path", s, err)
			return
		}
		assertSafe(t, "Path", s, p, pathChars)
		if p[0] != '/' || len(p) > maxPath || strings.Contains(p, "//") {
			t.Errorf("Path(%q) = %q: not an absolute clean path", s, p)
		}
		for _, el := range strings.Split(p, "/") {
			if el == "." || el == ".." {
				t.Errorf("Path(%q) = %q: contains %q", s, p, el)
			}
		}
		if again, err := Path(p); err != nil || again != p {
			t.Errorf("Path(%q) = %q, but Path(%q) = %q, %v", s, p, p, again, err)
		}
	})
}

func FuzzBodySize(f *testing.F) {
	for _, s := range []string{"0", "10m", "512K", "1G", "100g", "101g", "010m", "1.5m", "10m;", "$size", "18446744073709551616"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := BodySize(s)
		if err != nil {
			assertQuietError(t, "BodySize", s, err)
			return
		}
		assertSafe(t, "BodySize", s, b, sizeChars)
		if again, err := BodySize(b); err != nil || again != b {
			t.Errorf("BodySize(%q) = %q, but BodySize(%q) = %q, %v", s, b, b, again, err)
		}
	})
}
