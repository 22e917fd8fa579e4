package provision

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/provision/statedir"
)

// An uploaded certificate's request says so and names its files, reads
// back equal, and is re-validated like typed input.
func TestUploadedRequestRoundTrip(t *testing.T) {
	state := t.TempDir()
	s, err := Options{Domains: []string{"www.example.test"}, StateDir: state,
		CertFile: "/etc/nginx/ssl/site/site.pem", KeyFile: "/etc/nginx/ssl/site/site.key", ChainFile: "/etc/nginx/ssl/site/ca_bundle.crt"}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if !s.Uploaded() {
		t.Fatal("not marked uploaded")
	}
	if err := SaveRequest(s.Layout(), &s.Request); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(s.Layout().Request("www.example.test"))
	for _, want := range []string{`"cert_source": "uploaded"`, `"cert_file": "/etc/nginx/ssl/site/site.pem"`, `"chain_file": "/etc/nginx/ssl/site/ca_bundle.crt"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("stored request lacks %s:\n%s", want, b)
		}
	}
	got, err := LoadRequest(s.Layout(), "www.example.test")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, s.Request) {
		t.Fatalf("read back\n%+v\nwant\n%+v", *got, s.Request)
	}

	// An ACME request stores none of it.
	a, _ := Options{Domains: []string{"acme.example.test"}, StateDir: state}.Validate()
	SaveRequest(a.Layout(), &a.Request)
	b, _ = os.ReadFile(a.Layout().Request("acme.example.test"))
	if strings.Contains(string(b), "cert_source") || strings.Contains(string(b), "cert_file") {
		t.Errorf("an ACME request mentions uploaded files:\n%s", b)
	}
}

func TestLoadRequestRefusesInconsistentSource(t *testing.T) {
	l := statedir.Layout(t.TempDir())
	path := l.Request("www.example.test")
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte(`{"version":1,"domains":["www.example.test"],"challenge":"http-01","ca":"letsencrypt","cert_source":"uploaded"}`), 0o600)
	if _, err := LoadRequest(l, "www.example.test"); err == nil {
		t.Fatal("uploaded without files accepted")
	}
	os.WriteFile(path, []byte(`{"version":1,"domains":["www.example.test"],"challenge":"http-01","ca":"letsencrypt","cert_source":"uploaded","cert_file":"rel;ative","key_file":"k"}`), 0o600)
	var fe *FieldError
	if _, err := LoadRequest(l, "www.example.test"); !errors.As(err, &fe) {
		t.Fatalf("a cert_file no flag would accept: %v", err)
	}
}

// The pair goes together; the chain needs it; --keep-certificate takes
// neither. Each refusal names its flag.
func TestUploadOptionsValidate(t *testing.T) {
	base := Options{Domains: []string{"www.example.test"}, StateDir: t.TempDir()}
	for _, c := range []struct {
		name  string
		edit  func(*Options)
		field string
	}{
		{"cert without key", func(o *Options) { o.CertFile = "/a.pem" }, FlagKeyFile},
		{"key without cert", func(o *Options) { o.KeyFile = "/a.key" }, FlagCertFile},
		{"chain alone", func(o *Options) { o.ChainFile = "/c.pem" }, FlagChainFile},
		{"keep and files", func(o *Options) { o.KeepCertificate, o.CertFile, o.KeyFile = true, "/a.pem", "/a.key" }, FlagKeepCertificate},
		{"hostile path", func(o *Options) { o.CertFile, o.KeyFile = "/a.pem;\nevil", "/a.key" }, FlagCertFile},
	} {
		o := base
		c.edit(&o)
		var fe *FieldError
		if _, err := o.Validate(); !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: %v, want a refusal of --%s", c.name, err, c.field)
		}
	}
	o := base
	o.KeepCertificate = true
	s, err := o.Validate()
	if err != nil || !s.Uploaded() || !s.KeepCertificate {
		t.Fatalf("--keep-certificate: %v %+v", err, s)
	}
}
