package steps

import (
	"os"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/dnschallenge"
	"github.com/httpsify/httpsify/provision/statedir"
)

// storeDNSSite stores, under a fresh state dir, the request of a site
// deployed through rfc2136 with values (their 0600 copy), as apply does.
func storeDNSSite(t *testing.T, domains []string, values map[string]string) string {
	t.Helper()
	state := t.TempDir()
	if err := os.Chmod(state, 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := provision.Options{Domains: domains, Challenge: "dns-01", DNSProvider: "rfc2136",
		DNSEnviron: provision.DNSEnviron(values), DNSResolvers: []string{"127.0.0.1:5353"}, StateDir: state}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if s.DNSCredentialsFile, err = dnschallenge.SaveCredentials(state, *s.DNSCredentials); err != nil {
		t.Fatal(err)
	}
	if err := provision.SaveRequest(statedir.Layout(state), &s.Request); err != nil {
		t.Fatal(err)
	}
	return state
}

// On a rerun for a site that uses rfc2136, its credentials form comes
// filled from the stored 0600 copy: the secret masked, never drawn; Enter
// keeps the stored values, and a field can be changed.
func TestCertificateDNS01RerunPrefillsStoredCredentials(t *testing.T) {
	const secret = "c2VjcmV0LXRzaWcta2V5LXZhbHVlLWZvci10ZXN0"
	domains := []string{"example.test", "*.example.test"}
	state := storeDNSSite(t, domains, map[string]string{
		"DNSUPDATE_NAMESERVER": "127.0.0.1:5353", "DNSUPDATE_TSIG_ALGORITHM": "hmac-sha256",
		"DNSUPDATE_TSIG_KEY": "httpsify-key", "DNSUPDATE_TSIG_SECRET": secret,
	})
	st, _ := siteAnswered(t)
	st.Base.StateDir, st.Opts.StateDir = state, state
	st.Opts.Domains = domains
	st.Opts.DNSResolvers = []string{"127.0.0.1:53"}
	st.Opts.AgreeTOS = true
	tm := start(t, st, StepCertificate, 100, 40)
	waitFor(t, tm, "How the CA checks")
	tm.Send(press("shift+tab"))
	tm.Send(press("shift+tab"))
	tm.Send(press("down")) // DNS-01
	tm.Send(press("enter"))
	waitFor(t, tm, "Filter:")
	tm.Type("rfc2136")
	tm.Send(press("enter"))
	// The stored options are set, so they show without ctrl+o.
	waitFor(t, tm, "40 characters")         // the stored secret, masked
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU}) // the name server: changed
	tm.Type("127.0.0.1:5454")
	tm.Send(press("enter"))
	waitFor(t, tm, "Step 5 of 9")
	out := printed[tm].String()
	if strings.Contains(out, secret) {
		t.Fatal("the stored TSIG secret was drawn on the screen")
	}
	for _, want := range []string{"DNSUPDATE_NAMESERVER=127.0.0.1:5454", "DNSUPDATE_TSIG_SECRET=" + secret, "DNSUPDATE_TSIG_KEY=httpsify-key"} {
		if !slices.Contains(st.Opts.DNSEnviron, want) {
			t.Errorf("answers lack %s", strings.SplitN(want, "=", 2)[0])
		}
	}
	if s := st.Settings; s == nil || s.DNSCredentials == nil || s.DNSCredentials.Len() != 4 {
		t.Fatalf("settings %+v", s)
	}
}

// Another provider's form, or a site not stored, starts empty.
func TestStoredDNSCredentialsOnlyForTheSameProvider(t *testing.T) {
	domains := []string{"example.test", "*.example.test"}
	state := storeDNSSite(t, domains, map[string]string{"DNSUPDATE_NAMESERVER": "127.0.0.1:5353"})
	if got := provision.StoredDNSCredentials(state, domains, "rfc2136"); got["DNSUPDATE_NAMESERVER"] != "127.0.0.1:5353" {
		t.Fatalf("stored rfc2136 values: %d read back", len(got))
	}
	if got := provision.StoredDNSCredentials(state, domains, "cloudflare"); got != nil {
		t.Fatal("another provider's form was filled with rfc2136 values")
	}
	if got := provision.StoredDNSCredentials(state, []string{"other.test"}, "rfc2136"); got != nil {
		t.Fatal("a site never deployed got values")
	}
}
