package steps

import (
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// Choosing DNS-01 leads to the provider picker, then that provider's
// credentials form; what is typed there ends up in the answers (as the
// provider's variables) and in the settings the plan was built from, and
// the secret is never on screen.
func TestCertificateDNS01ProviderAndCredentials(t *testing.T) {
	st, _ := siteAnswered(t)
	st.Opts.Domains = []string{"example.test", "*.example.test"}
	st.Opts.DNSResolvers = []string{"127.0.0.1:53"}
	st.Opts.AgreeTOS = true
	const secret = "c2VjcmV0LXRzaWcta2V5LXZhbHVlLWZvci10ZXN0"
	tm := start(t, st, StepCertificate, 100, 40)
	waitFor(t, tm, "How the CA checks")
	tm.Send(press("shift+tab")) // from the email to the CA
	tm.Send(press("shift+tab")) // to the method
	tm.Send(press("down"))      // DNS-01
	tm.Send(press("enter"))     // the form is complete: on to the provider
	waitFor(t, tm, "Filter:")
	tm.Type("rfc2136")
	tm.Send(press("enter"))
	waitFor(t, tm, "DNSUPDATE_NAMESERVER")
	tm.Type("127.0.0.1:5353")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlO}) // the TSIG fields are among rfc2136's options
	waitFor(t, tm, "DNSUPDATE_TSIG_ALGORITHM")
	tm.Type("hmac-sha256")
	tm.Send(press("tab"))
	tm.Type("httpsify-key")
	tm.Send(press("tab"))
	tm.Type(secret)
	tm.Send(press("enter"))
	waitFor(t, tm, "Step 5 of 9")
	_, v := finalView(t, tm, 100, 40)
	if strings.Contains(v, secret) {
		t.Fatal("the TSIG secret was drawn on the screen")
	}
	s := st.Settings
	if s == nil || s.Challenge != "dns-01" || s.DNSProvider != "rfc2136" || s.DNSCredentials == nil {
		t.Fatalf("settings %+v", s)
	}
	want := []string{"DNSUPDATE_NAMESERVER", "DNSUPDATE_TSIG_ALGORITHM", "DNSUPDATE_TSIG_KEY", "DNSUPDATE_TSIG_SECRET"}
	if got := s.DNSCredentials.Names(); !slices.Equal(got, want) {
		t.Fatalf("credentials %v, want %v", got, want)
	}
	if !slices.Contains(st.Opts.DNSEnviron, "DNSUPDATE_TSIG_SECRET="+secret) {
		t.Fatal("the typed secret is not in the answers")
	}
	if s.Primary() != "example.test" || !slices.Contains(s.Domains, "*.example.test") {
		t.Fatalf("domains %v", s.Domains)
	}
}
