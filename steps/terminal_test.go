package steps

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/provision"
)

// hostile is what a CA (or an app, or a config) can put in a string: a
// screen clear, a window title, a carriage return over a fake check, a C1
// CSI and a colour that would leak into what follows.
const hostile = "\x1b[2J\x1b]0;pwned\x07\r✓ verify   all good\u009b2J\x1b[31m"

// requireNoControls fails when s, with httpsify's own SGR styling taken
// out, still holds a byte a terminal would act on.
func requireNoControls(t *testing.T, s string) {
	t.Helper()
	for s != "" {
		i := strings.IndexByte(s, 0x1b)
		if i < 0 {
			break
		}
		j := i + 2
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
			j++
		}
		if !strings.HasPrefix(s[i:], "\x1b[") || j >= len(s) || s[j] != 'm' || strings.HasPrefix(s[i:], "\x1b[31m") {
			t.Fatalf("an escape sequence reached the view: %q", s[i:min(len(s), i+20)])
		}
		s = s[:i] + s[j+1:]
	}
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) {
			t.Fatalf("control %U reached the view", r)
		}
	}
}

// fakeDirectory is an ACME directory on loopback whose terms of service
// are hostile; it returns the directory URL and a PEM file trusting it.
func fakeDirectory(t *testing.T) (string, string) {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{
			"newNonce": srv.URL + "/nonce", "newAccount": srv.URL + "/acct", "newOrder": srv.URL + "/order",
			"revokeCert": srv.URL + "/revoke", "keyChange": srv.URL + "/key",
			"meta": map[string]any{"termsOfService": "https://ca.example/tos" + hostile},
		})
	}))
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644)
	return srv.URL + "/dir", ca
}

// The terms URL comes from the CA through the real provision.TermsURL:
// the certificate step shows it with every control escaped.
func TestWizardShowsHostileTermsEscaped(t *testing.T) {
	dir, ca := fakeDirectory(t)
	st, _ := siteAnswered(t)
	st.TermsURL = func(ctx context.Context, s *provision.Settings) (string, error) {
		c := *s
		c.CADirectory, c.CARoot = dir, ca
		return provision.TermsURL(ctx, &c)
	}
	tm := start(t, st, StepCertificate, 120, 40)
	waitFor(t, tm, "Terms: https://ca.example/tos")
	sh, _ := finalView(t, tm, 120, 40)
	v := sh.View()
	requireNoControls(t, v)
	if !strings.Contains(v, `\x1b[2J`) {
		t.Errorf("the escaped sequence is not shown for the user to see:\n%s", v)
	}
}

// An error and events that carry raw controls (as if a path had skipped
// the engine's cleaning) are still drawn harmless by the shell's final
// pass. That pass keeps SGR (the theme's colours), so a stray colour is
// stopped where outside text enters (the test above), not here.
func TestWizardViewEscapesControlsThatSlipThrough(t *testing.T) {
	st, fe := newState(t)
	answered(t, st, false)
	raw := strings.TrimSuffix(hostile, "\x1b[31m")
	fe.issueEvents = []provision.Event{ev(provision.PhaseIssue, provision.KindWarn, "the CA says: "+raw)}
	fe.issueErr = &provision.IssueError{FromCA: true, Problem: "urn:ietf:params:acme:error:malformed", Err: errors.New("acme: error: 400 :: urn:ietf:params:acme:error:malformed :: " + raw)}
	tm := start(t, st, StepIssue, 120, 40)
	waitFor(t, tm, "pwned")
	sh, _ := finalView(t, tm, 120, 40)
	requireNoControls(t, sh.View())
}
