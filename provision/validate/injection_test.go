package validate

import (
	"strings"
	"testing"
)

// injections are fragments a hostile or careless user might type. Each is
// planted into otherwise valid values for every validator. Unless marked
// lookalike, every resulting value must be rejected; look-alikes may be
// accepted only if IDNA legitimately maps them to plain ASCII.
var injections = []struct {
	name      string
	p         string
	lookalike bool
}{
	{"semicolon", ";", false},
	{"directive", "; include /etc/shadow", false},
	{"open brace", "{", false},
	{"close brace", "}", false},
	{"double quote", `"`, false},
	{"single quote", "'", false},
	{"newline", "\n", false},
	{"newline directive", "\nlisten 80;", false},
	{"carriage return", "\r", false},
	{"nginx variable", "$host", false},
	{"hash", "#", false},
	{"NUL", "\x00", false},
	{"tab", "\t", false},
	{"space", " ", false},
	{"backtick", "`", false},
	{"backslash", `\`, false},
	{"dot dot", "..", false},
	{"zero-width joiner", "\u200d", false},
	{"zero-width space", "\u200b", false},
	{"soft hyphen", "\u00ad", false},
	{"right-to-left override", "\u202e", false},
	{"line separator", "\u2028", false},
	{"no-break space", "\u00a0", false},
	{"fullwidth semicolon", "\uff1b", false},
	{"fullwidth brace", "\uff5b", false},
	{"fullwidth dollar", "\uff04", false},
	{"invalid UTF-8", "\xff", false},
	{"cyrillic a", "\u0430", true},
	{"greek omicron", "\u03bf", true},
	{"fullwidth e", "\uff45", true},
	{"fullwidth A", "\uff21", true},
	{"math bold a", "\U0001d41a", true},
}

// targets plant a payload (at each "%s") into valid values and run a
// validator, returning every string that would reach a config file.
var targets = []struct {
	name      string
	templates []string
	allowed   string
	run       func(string) ([]string, error)
}{
	{"Domain", []string{"%s.example.com", "%sa.example.com", "a%s.example.com", "a.%s.example", "a.example%s", "www.example.com%s", "*.%s.example.com"},
		domainChars, func(s string) ([]string, error) { d, err := Domain(s, true); return []string{d}, err }},
	{"Domains", []string{"%s.example.com", "a%s.example.com", "a.example%s"},
		domainChars, func(s string) ([]string, error) { return Domains([]string{"ok.example", s}, false) }},
	{"ParseUpstream", []string{
		"127.0.0.1:8000%s", "%s127.0.0.1:8000", "%s:8000", "a%s:8000", "localhost:%s8000", "[::1]:80%s", "[::1%s]:80",
		"http://a/%s", "http://a%s/", "https://a:443/x%s", "http://a/x?%s", "http%s://a/", "http://%s@a/",
		"unix:/srv/%s/a.sock", "unix:/srv/a%s.sock", "unix:/srv/a.sock%s", "unix:/srv/a.sock:/%s", "unix:%s/a.sock",
	}, upstreamChars, func(s string) ([]string, error) {
		u, err := ParseUpstream(s)
		return []string{u.String(), u.NginxProxyPass(), u.ApacheProxyPass(), u.Socket, u.Host, u.Path, u.Scheme}, err
	}},
	{"Email", []string{"%s@example.com", "a%s@example.com", "a%sb@example.com", "a@example.com%s", "a@%s.example.com", "a@exa%smple.com", "%sa@example.com"},
		emailChars, func(s string) ([]string, error) { e, err := Email(s); return []string{e}, err }},
	{"BodySize", []string{"%s", "10m%s", "%s10m", "1%s0m", "10%s"},
		sizeChars, func(s string) ([]string, error) { b, err := BodySize(s); return []string{b}, err }},
	{"Path", []string{"/etc/nginx/%s", "/etc/%s/x", "%s/etc/nginx", "/%s", "/etc/a%s/x"},
		pathChars, func(s string) ([]string, error) { p, err := Path(s); return []string{p}, err }},
}

func TestInjection(t *testing.T) {
	for _, tg := range targets {
		for _, inj := range injections {
			for _, tmpl := range tg.templates {
				in := strings.ReplaceAll(tmpl, "%s", inj.p)
				outs, err := tg.run(in)
				if err != nil {
					assertQuietError(t, tg.name, in, err)
					continue
				}
				// ".." inside a file name ("a...sock") is harmless; as a
				// path element it must have been rejected.
				if !inj.lookalike && !(inj.p == ".." && !hasDotDotElement(outs)) {
					t.Errorf("%s accepted %s: %q -> %q", tg.name, inj.name, in, outs)
				}
				for _, out := range outs {
					if out != "" { // optional Upstream fields may be empty
						assertSafe(t, tg.name, in, out, tg.allowed)
					}
				}
			}
		}
	}
}

// Length limits for everything that carries a host name.
func TestInjectionLengths(t *testing.T) {
	l63, l64 := strings.Repeat("a", 63), strings.Repeat("a", 64)
	n254 := l63 + "." + l63 + "." + l63 + "." + strings.Repeat("a", 60) + ".a" // 254 characters
	if len(n254) != 254 {
		t.Fatalf("n254 has %d characters", len(n254))
	}
	for _, in := range []string{l64 + ".example", "a." + l64 + ".example", n254, n254 + ".", "*." + n254[2:]} {
		if d, err := Domain(in, true); err == nil {
			t.Errorf("Domain(%q) = %q; want error", in, d)
		}
		if e, err := Email("a@" + in); err == nil {
			t.Errorf("Email(%q) = %q; want error", "a@"+in, e)
		}
		if u, err := ParseUpstream(in + ":80"); err == nil {
			t.Errorf("ParseUpstream(%q) = %+v; want error", in+":80", u)
		}
		if u, err := ParseUpstream("https://" + in + "/"); err == nil {
			t.Errorf("ParseUpstream(%q) = %+v; want error", "https://"+in+"/", u)
		}
	}
	// An IDN label that is short in Unicode but over 63 once in punycode.
	idn := "日本語中文字漢字测试域名网站国际化顶级名称示例长标签检查.example"
	if d, err := Domain(idn, false); err == nil || !strings.Contains(err.Error(), "longer than 63") {
		t.Errorf("Domain(%q) = %q, %v; want error about length", idn, d, err)
	}
}

func hasDotDotElement(outs []string) bool {
	for _, out := range outs {
		for _, el := range strings.FieldsFunc(out, func(r rune) bool { return r == '/' || r == ':' || r == '|' }) {
			if el == ".." {
				return true
			}
		}
	}
	return false
}
