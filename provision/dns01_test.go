package provision

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/provision/statedir"
)

var rfc2136Values = []string{
	"DNSUPDATE_NAMESERVER=127.0.0.1:5353", "DNSUPDATE_TSIG_KEY=k", "DNSUPDATE_TSIG_ALGORITHM=hmac-sha256",
	"DNSUPDATE_TSIG_SECRET=c2VjcmV0LXRzaWcta2V5LXZhbHVl",
}

func requireField(t *testing.T, err error, field, text string) {
	t.Helper()
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != field || !strings.Contains(err.Error(), text) {
		t.Fatalf("got %v, want --%s refused with %q", err, field, text)
	}
}

// A wildcard is refused with HTTP-01, saying why and what can; with DNS-01
// it is allowed, and a name without the wildcard becomes the primary.
func TestWildcardNeedsDNS01(t *testing.T) {
	o := Options{Domains: []string{"*.example.test", "example.test"}, StateDir: t.TempDir()}
	_, err := o.Validate()
	requireField(t, err, FlagDomain, "HTTP-01 cannot prove a wildcard")
	requireField(t, err, FlagDomain, "DNS-01 can")

	o.Challenge, o.DNSProvider, o.DNSEnviron = "dns-01", "rfc2136", rfc2136Values
	s, err := o.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if s.Primary() != "example.test" || len(s.Domains) != 2 || s.Domains[1] != "*.example.test" {
		t.Fatalf("domains %v, want example.test first", s.Domains)
	}
	if s.DNSCredentials == nil || s.DNSCredentials.Len() != 4 {
		t.Fatalf("credentials from the environment: %v", s.DNSCredentials)
	}
	o.Domains = []string{"*.example.test"}
	_, err = o.Validate()
	requireField(t, err, FlagDomain, "--domain example.test")
}

// Bad DNS-01 input names its flag: an unknown provider (with
// suggestions), a missing one, a resolver that is not HOST:PORT, and
// DNS-01 flags given with HTTP-01.
func TestDNS01OptionsRefused(t *testing.T) {
	base := Options{Domains: []string{"example.test"}, Challenge: "dns-01", StateDir: t.TempDir()}
	o := base
	o.DNSProvider = "rfc2163"
	_, err := o.Validate()
	requireField(t, err, FlagDNSProvider, "did you mean")
	requireField(t, err, FlagDNSProvider, "rfc2136")
	o = base
	_, err = o.Validate()
	requireField(t, err, FlagDNSProvider, "required")
	o = base
	o.DNSProvider, o.DNSResolvers = "manual", []string{"127.0.0.1"}
	_, err = o.Validate()
	requireField(t, err, FlagDNSResolver, "HOST:PORT")
	// The wizard checks its flags before the challenge is asked.
	o.Challenge = ""
	requireField(t, o.CheckGiven(), FlagDNSResolver, "HOST:PORT")
	o.DNSResolvers = []string{"127.0.0.1:53"}
	if err := o.CheckGiven(); err != nil {
		t.Fatalf("wizard flags refused: %v", err)
	}
	o = base
	o.Challenge, o.DNSProvider = "http-01", "rfc2136"
	_, err = o.Validate()
	requireField(t, err, FlagDNSProvider, "only used with --challenge dns-01")
	o = base
	o.DNSProvider, o.DNSCredentialsFile = "rfc2136", filepath.Join(t.TempDir(), "missing")
	_, err = o.Validate()
	requireField(t, err, FlagDNSCredentials, "missing")
}

// The stored request names the provider and the 0600 copy of the
// credentials, never a value; read back, it has the credentials again.
func TestDNS01RequestKeepsCredentialsOutOfJSON(t *testing.T) {
	state := t.TempDir()
	os.Chmod(state, 0o700)
	s, err := Options{Domains: []string{"example.test", "*.example.test"}, Challenge: "dns-01", DNSProvider: "rfc2136",
		DNSEnviron: rfc2136Values, DNSResolvers: []string{"127.0.0.1:5353"}, DNSNSPort: 5353, StateDir: state}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if err := saveDNSCredentials(s); err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(s.DNSCredentialsFile) != state {
		t.Fatalf("credentials saved at %s, want under %s", s.DNSCredentialsFile, state)
	}
	if fi, err := os.Stat(s.DNSCredentialsFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file: %v %v", fi, err)
	}
	l := statedir.Layout(state)
	if err := SaveRequest(l, &s.Request); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(l.Request("example.test"))
	if strings.Contains(string(b), "c2VjcmV0LXRzaWcta2V5LXZhbHVl") || !strings.Contains(string(b), `"dns_provider": "rfc2136"`) {
		t.Fatalf("request.json:\n%s", b)
	}
	got, err := LoadRequest(l, "example.test")
	if err != nil {
		t.Fatal(err)
	}
	if got.DNSProvider != "rfc2136" || got.DNSCredentials == nil || got.DNSCredentials.Len() != 4 ||
		got.DNSNSPort != 5353 || len(got.DNSResolvers) != 1 || got.Domains[1] != "*.example.test" {
		t.Fatalf("read back %+v", got)
	}
}

// The equivalent command of a DNS-01 run parses back to the same request
// and carries the credentials file, not its values.
func TestDNS01ApplyArgs(t *testing.T) {
	s, err := Options{Domains: []string{"example.test", "*.example.test"}, Challenge: "dns-01", DNSProvider: "rfc2136",
		DNSEnviron: rfc2136Values, DNSResolvers: []string{"127.0.0.1:5353"}, DNSNSPort: 5353, StateDir: t.TempDir()}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	s.DNSCredentialsFile = "/etc/httpsify/dns-rfc2136.credentials"
	line := s.ApplyCommand()
	for _, want := range []string{"--challenge dns-01", "--dns-provider rfc2136", "--dns-credentials /etc/httpsify/dns-rfc2136.credentials", "--dns-resolver 127.0.0.1:5353", "--dns-ns-port 5353"} {
		if !strings.Contains(line, want) {
			t.Errorf("%s lacks %q", line, want)
		}
	}
	if strings.Contains(line, "c2VjcmV0") {
		t.Errorf("secret in %s", line)
	}
}
