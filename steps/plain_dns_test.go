package steps

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// Line prompts offer DNS-01 through a provider: the provider is asked by
// name or code (manual DNS is refused there, saying where it is offered),
// then its credentials with the full-screen form's questions; the typed
// values reach the settings the plan is built from, and the secret is
// never echoed.
func TestPlainDNS01ThroughAProvider(t *testing.T) {
	const secret = "c2VjcmV0LXRzaWcta2V5LXZhbHVlLWZvci10ZXN0"
	st, fe := newState(t)
	fe.issueEvents, fe.deployEvents = issueEvents, deployOK
	st.Opts.DNSResolvers = []string{"127.0.0.1:1"} // nothing answers: the check fails, the values are kept
	answers := strings.Join([]string{
		"1", "", "", // site, names, app
		"2", "1", "me@example.org", "y", // method (DNS-01), CA, email, terms
		"manual",                              // refused in line prompts
		"rfc2136",                             // the provider
		"127.0.0.1:5353",                      // DNSUPDATE_NAMESERVER
		"y",                                   // more options
		"hmac-sha256", "httpsify-key", secret, // TSIG algorithm, key, secret
	}, "\n") + "\n" + strings.Repeat("\n", 11) + // the other options, left empty
		strings.Join([]string{
			"n",              // the check failed: keep the credentials anyway
			"",               // certificate directory
			"n", "", "", "1", // HSTS, HTTP/2, upload limit, TLS profile
			"", "y", // whole files, apply
		}, "\n") + "\n"
	var out bytes.Buffer
	code := RunPlain(st, strings.NewReader(answers), &out)
	text := out.String()
	if code != 0 || fe.deploys != 1 {
		t.Fatalf("exit %d, deploys %d:\n%s", code, fe.deploys, text)
	}
	if strings.Contains(text, secret) {
		t.Fatal("the TSIG secret was echoed")
	}
	if !strings.Contains(text, "Manual DNS is not offered in line prompts") {
		t.Errorf("manual DNS was not refused:\n%s", text)
	}
	s := st.Settings
	if s == nil || s.Challenge != "dns-01" || s.DNSProvider != "rfc2136" || s.DNSCredentials == nil {
		t.Fatalf("settings %+v", s)
	}
	if !slices.Contains(st.Opts.DNSEnviron, "DNSUPDATE_TSIG_SECRET="+secret) || !slices.Contains(st.Opts.DNSEnviron, "DNSUPDATE_NAMESERVER=127.0.0.1:5353") {
		t.Errorf("the typed credentials are not in the answers")
	}
}
