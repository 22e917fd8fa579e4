package certbot

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseConfValues(t *testing.T) {
	c, err := parseConf("x.conf", []byte("\uFEFF# renew_before_expiry = 30 days\r\n"+
		"version = 0.31.0\n"+
		"cert = \"/etc/letsencrypt/live/a b/cert.pem\"\n"+
		"privkey = /etc/letsencrypt/live/x/privkey.pem # trailing comment\n"+
		"[renewalparams]\n"+
		"  authenticator = dns-cloudflare\n"+
		"installer = None\n"+
		"pref_challs = dns-01, http-01\n"+
		"webroot_path = /var/www/a, '/var/www/b c',\n"+
		"dns_cloudflare_credentials = /root/.secrets/cloudflare.ini\n"+
		"[[webroot_map]]\n"+
		"a.example = /var/www/a\n"+
		"[other]\n"+
		"authenticator = ignored\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Version != "0.31.0" || c.Cert != "/etc/letsencrypt/live/a b/cert.pem" || c.PrivKey != "/etc/letsencrypt/live/x/privkey.pem" {
		t.Errorf("top level %+v", c)
	}
	if c.Authenticator != "dns-cloudflare" || c.Installer != "None" || c.Params["dns_cloudflare_credentials"] != "/root/.secrets/cloudflare.ini" {
		t.Errorf("renewalparams %+v", c)
	}
	if !reflect.DeepEqual(c.WebrootPath, []string{"/var/www/a", "/var/www/b c"}) {
		t.Errorf("webroot_path %q", c.WebrootPath)
	}
	if c.WebrootMap["a.example"] != "/var/www/a" || len(c.WebrootMap) != 1 {
		t.Errorf("webroot_map %v", c.WebrootMap)
	}
}

func TestParseConfErrors(t *testing.T) {
	for _, text := range []string{
		"[renewalparams\n",
		"[[webroot_map]]\n", // a subsection with no section
		"[]\n",
		"just words\n",
		"= value\n",
		"cert = \"unterminated\n",
		"cert = \"a\" b\n",
		"cert = \"\"\"multi\n",
	} {
		_, err := parseConf("x.conf", []byte(text))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 1 {
			t.Errorf("%q: %v, want a ParseError on line 1", text, err)
		}
	}
}
