package provision

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/provision/certbot"
	"github.com/httpsify/httpsify/provision/statedir"
)

// An adopted lineage is stored with the request and read back; a request
// that never was certbot's stores neither field.
func TestRequestKeepsTheCertbotLineage(t *testing.T) {
	state := t.TempDir()
	s, err := Options{Domains: []string{"www.example.test"}, AgreeTOS: true, StateDir: state, CertbotDir: "/srv/le", CertbotLineage: "www.example.test"}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if !s.FromCertbot() || s.CertbotDir != "/srv/le" || s.Uploaded() {
		t.Fatalf("settings: source %q dir %q", s.CertSource, s.CertbotDir)
	}
	l := s.Layout()
	if err := SaveRequest(l, &s.Request); err != nil {
		t.Fatal(err)
	}
	raw := readStored(t, l, "www.example.test")
	if raw["cert_source"] != "certbot" || raw["certbot_lineage"] != "www.example.test" || raw["certbot_dir"] != "/srv/le" {
		t.Fatalf("stored %v", raw)
	}
	got, err := LoadRequest(l, "www.example.test")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, s.Request) {
		t.Fatalf("read back\n%+v\nwant\n%+v", *got, s.Request)
	}

	plain, err := Options{Domains: []string{"www.example.test"}, StateDir: state, CertbotDir: "/srv/le"}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if plain.FromCertbot() || plain.CertbotDir != "/srv/le" {
		t.Fatalf("no lineage: source %q dir %q", plain.CertSource, plain.CertbotDir)
	}
	if err := SaveRequest(l, &plain.Request); err != nil {
		t.Fatal(err)
	}
	raw = readStored(t, l, "www.example.test")
	if _, ok := raw["certbot_lineage"]; ok {
		t.Fatalf("a request that is not certbot's names a lineage: %v", raw)
	}
	if _, ok := raw["certbot_dir"]; ok {
		t.Fatalf("a request that is not certbot's names a certbot dir: %v", raw)
	}
	if d, _ := (Options{Domains: []string{"a.test"}, StateDir: state}).Validate(); d.CertbotDir != certbot.DefaultDir {
		t.Fatalf("default certbot dir %q", d.CertbotDir)
	}
}

// A stored lineage is validated again: a name that is a path, a source
// that does not match the lineage, an unknown source, each refused.
func TestLoadRequestRefusesABadCertbotLineage(t *testing.T) {
	l := statedir.Layout(t.TempDir())
	path := l.Request("www.example.test")
	os.MkdirAll(filepath.Dir(path), 0o700)
	base := `{"version":1,"domains":["www.example.test"],"challenge":"http-01","ca":"letsencrypt","key_type":"ec256","tls_profile":"intermediate"`
	for name, extra := range map[string]string{
		"path as name":       `,"cert_source":"certbot","certbot_dir":"/etc/letsencrypt","certbot_lineage":"../../etc"`,
		"no source":          `,"certbot_dir":"/etc/letsencrypt","certbot_lineage":"www.example.test"`,
		"no lineage":         `,"cert_source":"certbot","certbot_dir":"/etc/letsencrypt"`,
		"no dir":             `,"cert_source":"certbot","certbot_lineage":"www.example.test"`,
		"relative dir":       `,"cert_source":"certbot","certbot_dir":"le","certbot_lineage":"www.example.test"`,
		"unknown source":     `,"cert_source":"acme.sh"`,
		"dir with a newline": `,"cert_source":"certbot","certbot_dir":"/etc/le\n;","certbot_lineage":"www.example.test"`,
	} {
		os.WriteFile(path, []byte(base+extra+"}"), 0o600)
		if r, err := LoadRequest(l, "www.example.test"); err == nil {
			t.Errorf("%s: loaded %+v", name, r)
		}
	}
	var fe *FieldError
	os.WriteFile(path, []byte(base+`,"cert_source":"certbot","certbot_dir":"/etc/letsencrypt","certbot_lineage":"a/b"}`), 0o600)
	if _, err := LoadRequest(l, "www.example.test"); !errors.As(err, &fe) || fe.Field != FlagCertbotDir || !errors.Is(err, certbot.ErrBadName) {
		t.Fatalf("lineage with a slash: %v", err)
	}
}

func readStored(t *testing.T, l statedir.Layout, primary string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(l.Request(primary))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil || !strings.Contains(string(b), `"version"`) {
		t.Fatal(err)
	}
	return m
}
