package provision

import (
	"errors"
	"strings"
	"testing"
)

// Every refusal names the flag; nothing is touched on disk by Validate.
func TestValidateNamesTheField(t *testing.T) {
	base := Options{Domains: []string{"www.example.test"}, StateDir: t.TempDir()}
	cases := []struct {
		field, want string
		mod         func(*Options)
	}{
		{"--domain", "DNS-01", func(o *Options) { o.Domains = []string{"*.example.test"} }},
		{"--domain", "", func(o *Options) { o.Domains = []string{"a.test; include /etc/shadow"} }},
		{"--domain", "required", func(o *Options) { o.Domains = nil }},
		{"--upstream", "", func(o *Options) { o.Upstream = "127.0.0.1:80;" }},
		{"--ca", "not a known CA", func(o *Options) { o.CA = "http://insecure.test/dir" }},
		{"--eab-kid", "external account binding", func(o *Options) { o.CA = "zerossl" }},
		{"--key-type", "key type", func(o *Options) { o.KeyType = "dsa" }},
		{"--tls-profile", "profile", func(o *Options) { o.TLSProfile = "old" }},
		{"--client-max-body-size", "", func(o *Options) { o.ClientMaxBodySize = "1m;" }},
		{"--https-port", "differ", func(o *Options) { o.HTTPPort, o.HTTPSPort = 8080, 8080 }},
		{"--http-port", "", func(o *Options) { o.HTTPPort = 70000 }},
		{"--cert-dir", "", func(o *Options) { o.CertDir = "/etc/ssl/my certs" }},
		{"--challenge", "http-01", func(o *Options) { o.Challenge = "tls-alpn-01" }},
	}
	for _, c := range cases {
		o := base
		c.mod(&o)
		_, err := o.Validate()
		var fe *FieldError
		if !errors.As(err, &fe) || "--"+fe.Field != c.field || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v", c.field, err)
		}
	}
}

func TestValidateDefaults(t *testing.T) {
	s, err := Options{Domains: []string{"Bücher.Example"}}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if s.Primary() != "xn--bcher-kva.example" || s.HTTPPort != 80 || s.HTTPSPort != 443 || s.KeyType != "ec256" ||
		s.TLSProfile != "intermediate" || !s.HTTP2 || s.CertDir != "/etc/httpsify/live/xn--bcher-kva.example" || s.CADirectory != "https://acme-v02.api.letsencrypt.org/directory" {
		t.Fatalf("%+v", s)
	}
}

// The wizard checks its flags before it asks the names: no names is
// fine, a bad flag is refused naming it, with no placeholder name.
func TestCheckGivenWithoutNames(t *testing.T) {
	if err := (Options{StateDir: t.TempDir()}).CheckGiven(); err != nil {
		t.Fatalf("no flags: %v", err)
	}
	var fe *FieldError
	if err := (Options{CA: "http://insecure.test/dir"}).CheckGiven(); !errors.As(err, &fe) || fe.Field != FlagCA {
		t.Fatalf("bad --ca: %v", err)
	}
	if err := (Options{CertDir: "/etc/ssl/my certs"}).CheckGiven(); !errors.As(err, &fe) || fe.Field != FlagCertDir {
		t.Fatalf("bad --cert-dir: %v", err)
	}
}
