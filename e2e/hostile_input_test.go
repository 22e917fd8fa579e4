package e2e

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// hostilePayloads are fragments that would end a directive, open or close a
// block, quote, start a comment or a variable in nginx, or fool the eye.
// NUL cannot travel through argv; provision's options_injection_test.go
// covers it at the Options level.
var hostilePayloads = []struct{ name, p string }{
	{"semicolon", ";"},
	{"directive", "; include /etc/shadow;"},
	{"open brace", "{"},
	{"close brace", "}"},
	{"double quote", `"`},
	{"single quote", "'"},
	{"newline", "\n"},
	{"newline directive", "\nssl_protocols SSLv3;"},
	{"variable", "$host"},
	{"comment", "#"},
	{"backslash", `\`},
	{"fullwidth semicolon", "\uff1b"},
	{"cyrillic a", "\u0430"},
	{"zero-width space", "\u200b"},
	{"right-to-left override", "\u202e"},
}

// hostileFields plant a payload (at %s) into an otherwise valid value of
// every flag whose value reaches a file httpsify writes (or names one).
var hostileFields = []struct{ flag, tmpl string }{
	{"--domain", "www.ex%sample.test"},
	{"--upstream", "http://127.0.0.1:8000/ap%sp"},
	{"--upstream", "unix:/srv/app/a%spp.sock"},
	{"--client-max-body-size", "10%sm"},
	{"--cert-dir", "/etc/httpsify/li%sve"},
	{"--state-dir", "/var/lib/https%sify"},
	{"--email", "ad%smin@example.test"},
	{"--ca", "https://ca.example.test/dir%sectory"},
	{"--nginx-conf", "/etc/nginx/ngi%snx.conf"},
}

// Every hostile value, in every field, end to end through the binary: exit
// 2, a one-line error naming the flag, and nothing at all written (not
// even the state directory).
func TestHostileInputInEveryField(t *testing.T) {
	sb := newSandbox(t)
	os.RemoveAll(sb.StateDir)
	before := snapshot(t, sb)
	long := strings.Repeat("a", 64) // one more than a DNS label may hold
	cases := []struct{ flag, value string }{
		{"--domain", "www." + long + ".test"},
		{"--upstream", "http://" + long + ".test:8000"},
		{"--email", "admin@" + long + ".test"},
		{"--ca", "https://" + long + ".test/dir"},
		{"--domain", "www.example.test" + strings.Repeat(".a", 130)}, // over 253 characters
	}
	for _, f := range hostileFields {
		for _, p := range hostilePayloads {
			cases = append(cases, struct{ flag, value string }{f.flag, fmt.Sprintf(f.tmpl, p.p)})
		}
	}
	for _, c := range cases {
		out, code := run(t, append([]string{"apply"}, with(sb.ApplyArgs(), c.flag, c.value)...)...)
		msg := strings.TrimSpace(out)
		if code != 2 || !strings.HasPrefix(msg, "httpsify: "+c.flag+":") || strings.Count(msg, "\n") > 1 {
			t.Errorf("%s %q: exit %d, output:\n%s", c.flag, c.value, code, out)
		}
	}
	t.Logf("%d hostile values refused", len(cases))
	requireSameFiles(t, before, snapshot(t, sb))
	if _, err := os.Stat(sb.StateDir); err == nil {
		t.Error("the state directory was created")
	}
}

// Look-alikes that IDNA maps to plain ASCII (fullwidth or mathematical
// letters) are not refused but normalised: the plan, and so every file,
// only ever holds the ASCII name.
func TestLookalikeDomainsAreNormalised(t *testing.T) {
	sb := newSandbox(t)
	before := snapshot(t, sb)
	for _, d := range []string{"www.\uff45xample.test", "\uff37\uff37\uff37.example.test", "www.exam\U0001d429le.test"} {
		out, code := run(t, append([]string{"apply", "--dry-run"}, with(sb.ApplyArgs(), "--domain", d)...)...)
		if code != 0 || !strings.Contains(out, "server_name www.example.test;") {
			t.Errorf("%q: exit %d; the plan does not use the ASCII name:\n%s", d, code, out)
		}
		for _, r := range out {
			if r > 0x7e && !strings.ContainsRune("…✓✗·", r) {
				t.Errorf("%q: the plan shows the non-ASCII %q", d, r)
				break
			}
		}
	}
	requireSameFiles(t, before, snapshot(t, sb))
}
