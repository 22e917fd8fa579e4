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

// A request is stored as versioned JSON beside the certificates, without
// the EAB secret, and reads back equal (what renewal relies on).
func TestRequestRoundTrip(t *testing.T) {
	state := t.TempDir()
	s, err := Options{Domains: []string{"www.example.test", "example.test"}, Upstream: "unix:/srv/app/app.sock",
		Email: "me@example.org", AgreeTOS: true, CA: "https://ca.test/dir", EABKid: "kid", EABHMAC: "c2VjcmV0",
		KeyType: "rsa2048", TLSProfile: "modern", HSTS: true, ClientMaxBodySize: "20m", StateDir: state}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	l := s.Layout()
	if err := SaveRequest(l, &s.Request); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(state, "archive", "www.example.test", "request.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "c2VjcmV0") || strings.Contains(string(b), "kid") {
		t.Fatalf("EAB stored:\n%s", b)
	}
	if !strings.Contains(string(b), `"version": 1`) {
		t.Fatalf("no version:\n%s", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", fi.Mode().Perm())
	}
	got, err := LoadRequest(l, "www.example.test")
	if err != nil {
		t.Fatal(err)
	}
	want := s.Request
	want.EABKid, want.EABHMAC = "", ""
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("read back\n%+v\nwant\n%+v", *got, want)
	}
	if _, err := LoadRequest(l, "other.example.test"); !errors.Is(err, ErrNoRequest) {
		t.Fatalf("missing request: %v", err)
	}
}

// A stored request is read like typed input: a value no flag would
// accept is refused, naming the field, and an unknown version too.
func TestLoadRequestValidatesAgain(t *testing.T) {
	l := statedir.Layout(t.TempDir())
	path := l.Request("www.example.test")
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte(`{"version":1,"domains":["www.example.test"],"upstream":"unix:/srv/app.sock;}","challenge":"http-01","ca":"letsencrypt"}`), 0o600)
	var fe *FieldError
	if _, err := LoadRequest(l, "www.example.test"); !errors.As(err, &fe) || fe.Field != FlagUpstream {
		t.Fatalf("hostile upstream: %v", err)
	}
	os.WriteFile(path, []byte(`{"version":2,"domains":["www.example.test"]}`), 0o600)
	if _, err := LoadRequest(l, "www.example.test"); err == nil || !strings.Contains(err.Error(), "version 2") {
		t.Fatalf("unknown version: %v", err)
	}
}
