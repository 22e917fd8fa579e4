package provision

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/provision/acme"
)

// Every option whose value reaches a file (or names one) refuses what
// would break out of an nginx directive, with a FieldError naming its flag.
// The e2e tests send the same through argv; NUL cannot travel that way,
// so it is tried here, with the rest.
func TestEveryFieldRefusesInjection(t *testing.T) {
	payloads := []string{";", "; include /etc/shadow;", "{", "}", `"`, "'", "\n", "\r", "\x00", "$host", "#",
		`\`, "`", " ", "\t", "\uff1b", "\uff5b", "\u0430", "\u200b", "\u202e", "\xff"}
	fields := []struct {
		flag string
		set  func(o *Options, v string)
		tmpl string
	}{
		{"--domain", func(o *Options, v string) { o.Domains = []string{v} }, "www.ex%sample.test"},
		{"--domain", func(o *Options, v string) { o.Domains = []string{"ok.example.test", v} }, "%sb.example.test"},
		{"--upstream", func(o *Options, v string) { o.Upstream = v }, "http://127.0.0.1:8000/ap%sp"},
		{"--upstream", func(o *Options, v string) { o.Upstream = v }, "127.0.0.1:80%s00"},
		{"--upstream", func(o *Options, v string) { o.Upstream = v }, "unix:/srv/a%spp.sock"},
		{"--email", func(o *Options, v string) { o.Email = v }, "ad%smin@example.test"},
		{"--email", func(o *Options, v string) { o.Email = v }, "admin@exa%smple.test"},
		{"--ca", func(o *Options, v string) { o.CA = v }, "https://ca.example.test/di%sr"},
		{"--ca", func(o *Options, v string) { o.CA = v }, "https://ca.exa%smple.test/dir"},
		{"--client-max-body-size", func(o *Options, v string) { o.ClientMaxBodySize = v }, "10%sm"},
		{"--cert-dir", func(o *Options, v string) { o.CertDir = v }, "/etc/httpsify/li%sve"},
		{"--state-dir", func(o *Options, v string) { o.StateDir = v }, "/var/lib/https%sify"},
		{"--nginx-conf", func(o *Options, v string) { o.NginxConf = v }, "/etc/nginx/ngi%snx.conf"},
	}
	n := 0
	for _, f := range fields {
		for _, p := range payloads {
			o := validOptions()
			v := fmt.Sprintf(f.tmpl, p)
			f.set(&o, v)
			_, err := o.Validate()
			var fe *FieldError
			if !errors.As(err, &fe) || "--"+fe.Field != f.flag {
				t.Errorf("%s %q: got %v, want a FieldError for %s", f.flag, v, err, f.flag)
				continue
			}
			if strings.ContainsAny(err.Error(), "\x00\n\r") {
				t.Errorf("%s %q: the error carries a raw control character: %q", f.flag, v, err.Error())
			}
			n++
		}
	}
	t.Logf("%d values refused", n)
}

func validOptions() Options {
	return Options{Domains: []string{"www.example.test"}, Email: "admin@example.test", AgreeTOS: true,
		CA: "https://127.0.0.1:14000/dir", StateDir: "/var/lib/httpsify", NginxConf: "/etc/nginx/nginx.conf"}
}

// Real ACME directories, public and private, stay accepted byte for byte
// (the account directory is named by a hash of the URL).
func TestResolveCAKeepsRealDirectories(t *testing.T) {
	for _, u := range []string{
		"https://acme-v02.api.letsencrypt.org/directory",
		"https://acme.zerossl.com/v2/DV90",
		"https://dv.acme-v02.api.pki.goog/directory",
		"https://api.buypass.com/acme/directory",
		"https://acme.digicert.com/v2/acme/directory/",
		"https://ca.internal:9000/acme/acme/directory",
		"https://127.0.0.1:14000/dir",
		"https://[::1]:14000/dir",
		"https://pebble:14000/dir",
	} {
		got, err := acme.ResolveCA(u)
		if err != nil || got != u {
			t.Errorf("acme.ResolveCA(%q) = %q, %v", u, got, err)
		}
	}
	for _, bad := range []string{"http://ca.example.test/dir", "https://user:pw@ca.example.test/dir",
		"https://ca.example.test/dir?x=1", "https://ca.example.test/dir#x", "https://ca.example.test:99999/dir",
		"https://ca.example.test/%7B", "https://ca.example.test/../dir", "unix:/run/ca.sock", "ca.example.test:443"} {
		if got, err := acme.ResolveCA(bad); err == nil {
			t.Errorf("acme.ResolveCA(%q) = %q, want an error", bad, got)
		}
	}
}
