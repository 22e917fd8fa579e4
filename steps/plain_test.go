package steps

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/provision"
)

// The accessible mode asks the same questions as plain lines: a whole run
// answered from a script, as a screen reader user would type.
func TestPlainWholeRun(t *testing.T) {
	st, fe := newState(t)
	fe.issueEvents, fe.deployEvents = issueEvents, deployOK
	answers := strings.Join([]string{
		"1", "", "", // site, names, app
		"1", "1", "me@example.org", "y", // method (HTTP-01), CA, email, terms
		"",               // certificate directory
		"n", "", "", "1", // HSTS, HTTP/2, upload limit, TLS profile
		"",  // whole files too? (no: the diff is enough)
		"y", // apply
	}, "\n") + "\n"
	var out bytes.Buffer
	code := RunPlain(st, strings.NewReader(answers), &out)
	text := out.String()
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, text)
	}
	for _, want := range []string{
		"Step 1 of 9: Preflight", "www.example.test → 203.0.113.10", "Terms: https://letsencrypt.org",
		"asking the CA for a certificate", "ssl_protocols TLSv1.2 TLSv1.3;", unchangedNote + ".",
		"Apply these changes?", "https reaches the app: 200 OK", "Step 9 of 9: Summary", "ProxyFix",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if fe.deploys != 1 || st.Settings.Email != "me@example.org" {
		t.Fatalf("deploys %d, settings %+v", fe.deploys, st.Settings)
	}
	if strings.Contains(text, "✗") {
		t.Errorf("an answer was refused: the questions are not the ones expected:\n%s", text)
	}
	// The preview is the diff; the whole files only on request.
	if !strings.Contains(text, "--- changes to") || strings.Contains(text, "the whole file") {
		t.Errorf("the preview is not the diff alone:\n%s", text)
	}
}

// Saying no at the confirmation writes nothing.
func TestPlainDeclined(t *testing.T) {
	st, fe := newState(t)
	answers := "1\n\n\n1\n1\n\ny\n\n\n\n\n1\n\nn\n"
	var out bytes.Buffer
	if code := RunPlain(st, strings.NewReader(answers), &out); code != 1 {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	if fe.deploys != 0 || !strings.Contains(out.String(), "Nothing was changed.") {
		t.Fatalf("deploys %d:\n%s", fe.deploys, out.String())
	}
}

// A refused answer asks that one question again, not the whole step: the
// mistyped socket is asked for again, the names are not.
func TestPlainAsksOnlyTheRefusedQuestion(t *testing.T) {
	st, fe := newState(t)
	fe.issueEvents, fe.deployEvents = issueEvents, deployOK
	st.CheckApp = func(p *provision.Plan) error {
		if got := p.Settings.Upstream.String(); got != "unix:/srv/app/app.sock" {
			return &provision.FieldError{Field: provision.FlagUpstream, Err: &provision.AppMismatchError{New: got, Current: "unix:/srv/app/app.sock", Reason: errors.New("no such socket")}}
		}
		return nil
	}
	answers := strings.Join([]string{
		"1", "", "unix:/srv/app/myproject.sock", // site, names, a mistyped app
		"unix:/srv/app/app.sock", // the app, asked again alone
		"1", "1", "me@example.org", "y",
		"",
		"n", "", "", "1",
		"",
		"y",
	}, "\n") + "\n"
	var out bytes.Buffer
	if code := RunPlain(st, strings.NewReader(answers), &out); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	text := out.String()
	if n := strings.Count(text, "Domain names ["); n != 1 {
		t.Errorf("the names were asked %d times:\n%s", n, text)
	}
	if !strings.Contains(text, "current app at unix:/srv/app/app.sock") || st.Settings.Upstream.String() != "unix:/srv/app/app.sock" {
		t.Errorf("the typo was not refused and asked again:\n%s", text)
	}
}
