package tlsaudit

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func d(name string, args ...string) Directive { return Directive{Name: name, Args: args} }

// debianHTTP is the TLS part of Debian 12's /etc/nginx/nginx.conf http block.
var debianHTTP = []Directive{
	d("ssl_protocols", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"),
	d("ssl_prefer_server_ciphers", "on"),
}

// tutorialServer is the classic tutorial's (and the provider docs') block.
var tutorialServer = []Directive{
	d("listen", "443"),
	d("server_name", "example.com"),
	d("ssl", "on"),
	d("ssl_certificate", "/etc/nginx/ssl/example.com/example.com.pem"),
	d("ssl_certificate_key", "/etc/nginx/ssl/example.com/example.com.key"),
	d("ssl_session_timeout", "5m"),
	d("ssl_protocols", "TLSv1", "TLSv1.1", "TLSv1.2"),
	d("ssl_ciphers", "ECDHE-RSA-AES128-GCM-SHA256:HIGH:!aNULL:!MD5:!RC4:!DHE"),
	d("ssl_prefer_server_ciphers", "on"),
}

// certbotOptions is /etc/letsencrypt/options-ssl-nginx.conf as current
// certbot writes it, included in the server block.
var certbotOptions = []Directive{
	d("ssl_session_cache", "shared:le_nginx_SSL:10m"),
	d("ssl_session_timeout", "1440m"),
	d("ssl_session_tickets", "off"),
	d("ssl_protocols", "TLSv1.2", "TLSv1.3"),
	d("ssl_prefer_server_ciphers", "off"),
	d("ssl_ciphers", `"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384"`),
}

// mozillaIntermediate is Mozilla's intermediate profile (guidelines 5.7+).
var mozillaIntermediate = []Directive{
	d("ssl_protocols", "TLSv1.2", "TLSv1.3"),
	d("ssl_ecdh_curve", "X25519:prime256v1:secp384r1"),
	d("ssl_ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"),
	d("ssl_prefer_server_ciphers", "off"),
	d("ssl_session_timeout", "1d"),
	d("ssl_session_cache", "shared:MozSSL:10m"),
	d("ssl_session_tickets", "off"),
}

func audit(t *testing.T, in Input) []Finding {
	t.Helper()
	return Audit(context.Background(), in, nil)
}

func find(fs []Finding, k Kind) *Finding {
	for i := range fs {
		if fs[i].Kind == k {
			return &fs[i]
		}
	}
	return nil
}

func kindsOf(fs []Finding) []Kind {
	var out []Kind
	for _, f := range fs {
		out = append(out, f.Kind)
	}
	return out
}

func TestTutorialBlock(t *testing.T) {
	fs := audit(t, Input{HTTP: debianHTTP, Server: tutorialServer, NginxVersion: "1.22.1"})
	want := []Kind{KindSSLOn, KindOldProtocols, KindNoTLS13, KindBroadCipherAlias, KindNoForwardSecrecy, KindNonAEAD}
	if got := kindsOf(fs); !slices.Equal(got, want) {
		t.Fatalf("kinds %v, want %v\n%v", got, want, fs)
	}
	if f := find(fs, KindSSLOn); !strings.Contains(f.Message, "deprecated since nginx 1.15.0 and removed in 1.25.1") || !strings.Contains(f.Hint, "listen 443 ssl;") {
		t.Errorf("ssl on: %v", f)
	}
	if f := find(fs, KindOldProtocols); !strings.Contains(f.Message, "TLSv1, TLSv1.1") || strings.Contains(f.Message, "http level") {
		t.Errorf("old protocols (the server's own line): %q", f.Message)
	}
	if f := find(fs, KindBroadCipherAlias); !strings.Contains(f.Message, "HIGH") {
		t.Errorf("broad alias: %q", f.Message)
	}
	noFS := find(fs, KindNoForwardSecrecy).Suites
	if !slices.Contains(noFS, "AES256-GCM-SHA384") || !slices.Contains(noFS, "AES128-SHA") {
		t.Errorf("static-RSA suites not listed: %v", noFS)
	}
	cbc := find(fs, KindNonAEAD).Suites
	if !slices.Contains(cbc, "ECDHE-RSA-AES128-SHA") || !slices.Contains(cbc, "ECDHE-RSA-AES256-SHA384") {
		t.Errorf("CBC suites not listed: %v", cbc)
	}
	for _, s := range append(noFS, cbc...) {
		if strings.HasPrefix(s, "DHE-") || strings.Contains(s, "PSK") {
			t.Errorf("%s listed though !DHE removes it / PSK is never negotiated", s)
		}
	}
}

func TestSSLOnOnNewNginx(t *testing.T) {
	fs := audit(t, Input{Server: tutorialServer, NginxVersion: "1.26.2"})
	if f := find(fs, KindSSLOn); f == nil || !strings.Contains(f.Message, "refuses the configuration") {
		t.Errorf("got %v", f)
	}
	if f := find(audit(t, Input{Server: []Directive{d("ssl", "off")}}), KindSSLOn); f != nil {
		t.Errorf("ssl off reported: %v", f)
	}
}

// Debian's http-level line with a server that sets nothing itself: the
// inherited TLSv1/1.1 and nginx's default ciphers are reported as such.
func TestDebianDefaultsInherited(t *testing.T) {
	fs := audit(t, Input{HTTP: debianHTTP, Server: []Directive{d("listen", "443", "ssl")}, NginxVersion: "1.22.1"})
	want := []Kind{KindOldProtocols, KindBroadCipherAlias, KindNoForwardSecrecy, KindNonAEAD}
	if got := kindsOf(fs); !slices.Equal(got, want) {
		t.Fatalf("kinds %v, want %v\n%v", got, want, fs)
	}
	if f := find(fs, KindOldProtocols); !strings.Contains(f.Message, "http level") {
		t.Errorf("message does not say the protocols are inherited: %q", f.Message)
	}
	if f := find(fs, KindNonAEAD); !strings.Contains(f.Message, "nginx's default ssl_ciphers (HIGH:!aNULL:!MD5)") {
		t.Errorf("message does not say the default applies: %q", f.Message)
	}
}

// certbot's and Mozilla's profiles are clean, including under Debian's
// http-level line, and ssl_prefer_server_ciphers on or off is no finding.
func TestModernProfilesClean(t *testing.T) {
	for name, server := range map[string][]Directive{
		"certbot options-ssl-nginx.conf": certbotOptions,
		"mozilla intermediate":           mozillaIntermediate,
		"mozilla + prefer on":            append(slices.Clone(mozillaIntermediate), d("ssl_prefer_server_ciphers", "on")),
	} {
		if fs := audit(t, Input{HTTP: debianHTTP, Server: server, NginxVersion: "1.22.1"}); len(fs) != 0 {
			t.Errorf("%s: %v", name, fs)
		}
	}
}

func TestProtocolsDefaultsAndMerging(t *testing.T) {
	strong := d("ssl_ciphers", "ECDHE-RSA-AES128-GCM-SHA256")
	cases := []struct {
		name string
		in   Input
		want []Kind
	}{
		{"unset on 1.22", Input{Server: []Directive{strong}, NginxVersion: "1.22.1"}, []Kind{KindOldProtocols, KindNoTLS13}},
		{"unset on 1.24", Input{Server: []Directive{strong}, NginxVersion: "1.24.0"}, []Kind{KindOldProtocols}},
		{"unset, version unknown", Input{Server: []Directive{strong}}, []Kind{KindOldProtocols}},
		{"http lines add up", Input{HTTP: []Directive{d("ssl_protocols", "TLSv1.2"), d("ssl_protocols", "TLSv1.3")}, Server: []Directive{strong}}, nil},
		{"server replaces http", Input{HTTP: debianHTTP, Server: []Directive{d("ssl_protocols", "TLSv1.2"), strong}}, []Kind{KindNoTLS13}},
		{"SSLv3", Input{Server: []Directive{d("ssl_protocols", "SSLv3", "TLSv1.2", "TLSv1.3"), strong}}, []Kind{KindOldProtocols}},
	}
	for _, c := range cases {
		if got := kindsOf(audit(t, c.in)); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestLooseAndBrokenLists(t *testing.T) {
	for spec, want := range map[string][]Kind{
		"ALL":                              {KindBroadCipherAlias, KindBrokenCiphers, KindNoForwardSecrecy, KindNonAEAD},
		"ALL:!aNULL:!eNULL:!MD5":           {KindBroadCipherAlias, KindNoForwardSecrecy, KindNonAEAD},
		"ALL:eNULL":                        {KindBroadCipherAlias, KindBrokenCiphers, KindNoForwardSecrecy, KindNonAEAD},
		"ECDHE-RSA-AES128-SHA:AES128-SHA":  {KindNoForwardSecrecy, KindNonAEAD},
		"EECDH+AESGCM:EDH+AESGCM":          nil, // the old Mozilla/cipherli.st idiom: AEAD and FS only
		"-RC4:ECDHE-RSA-AES256-GCM-SHA384": nil, // a leading removal is a no-op, not an openssl option
		"NOSUCHCIPHER":                     {KindCipherListInvalid},
		"-v":                               {KindCipherListInvalid},
	} {
		in := Input{Server: []Directive{d("ssl_protocols", "TLSv1.2", "TLSv1.3"), d("ssl_ciphers", spec)}}
		if got := kindsOf(audit(t, in)); !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", spec, got, want)
		}
	}
}

// Without openssl the list is not expanded; its words still are read.
func TestWithoutOpenSSL(t *testing.T) {
	in := Input{Server: []Directive{d("ssl_protocols", "TLSv1.2", "TLSv1.3"), d("ssl_ciphers", "RC4-SHA:DES-CBC3-SHA:HIGH:!aNULL:!MD5")}}
	fs := Audit(context.Background(), in, OpenSSL{Path: "/nonexistent/openssl"})
	want := []Kind{KindCiphersUnchecked, KindBroadCipherAlias, KindBrokenCiphers}
	if got := kindsOf(fs); !slices.Equal(got, want) {
		t.Fatalf("kinds %v, want %v", got, want)
	}
	if f := find(fs, KindBrokenCiphers); !strings.Contains(f.Message, "RC4-SHA, DES-CBC3-SHA") || strings.Contains(f.Message, "aNULL") {
		t.Errorf("broken: %q", f.Message)
	}
}

func TestConfigTextSanitised(t *testing.T) {
	in := Input{Server: []Directive{d("ssl_protocols", "TLSv1.2", "TLSv1.3"), d("ssl_ciphers", "RC4-\x1b[2J:HIGH")}}
	fs := Audit(context.Background(), in, OpenSSL{Path: "/nonexistent/openssl"})
	if f := find(fs, KindBrokenCiphers); f == nil || !strings.Contains(f.Message, `RC4-\x1b[2J`) {
		t.Fatalf("the weak element is not reported escaped: %v", fs)
	}
	for _, f := range fs {
		if strings.ContainsRune(f.Message, 0x1b) {
			t.Errorf("raw ESC in %q", f.Message)
		}
	}
}
