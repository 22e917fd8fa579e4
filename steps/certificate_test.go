package steps

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// siteAnswered is the state after steps 1 and 2.
func siteAnswered(t *testing.T) (*State, *fakeEngine) {
	st, fe := newState(t)
	st.Detection, st.Pre = fixDetection(t), st.Preflight(st.Base)
	st.Opts.Domains = []string{"www.example.test"}
	st.Opts.Upstream = "unix:/srv/app/app.sock"
	return st, fe
}

func TestCertificateView(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			st, _ := siteAnswered(t)
			tm := start(t, st, StepCertificate, sz.w, sz.h)
			waitFor(t, tm, "Terms: https://letsencrypt.org")
			_, v := finalView(t, tm, sz.w, sz.h)
			golden(t, v)
		})
	}
}

// Every method can be picked now (down to DNS-01, up again to HTTP-01);
// the terms must be accepted.
func TestCertificateMethodsAndTerms(t *testing.T) {
	st, _ := siteAnswered(t)
	tm := start(t, st, StepCertificate, 80, 24)
	waitFor(t, tm, "How the CA checks")
	tm.Send(press("shift+tab")) // from the email to the CA
	tm.Send(press("shift+tab")) // to the method
	tm.Send(press("down"))
	tm.Send(press("up"))
	tm.Send(press("enter")) // valid so far: on to the terms
	tm.Send(press("enter")) // the default No
	waitFor(t, tm, "accept its terms")
	_, v := finalView(t, tm, 80, 24)
	golden(t, v)
	if st.Settings != nil {
		t.Fatal("settings were built without the terms accepted")
	}
}

func TestCertificateSubmitBuildsThePlan(t *testing.T) {
	st, _ := siteAnswered(t)
	tm := start(t, st, StepCertificate, 80, 24)
	waitFor(t, tm, "How the CA checks")
	tm.Type("me@example.org") // the email has focus: the one answer missing
	tm.Send(press("shift+tab"))
	tm.Send(press("down")) // Let's Encrypt staging
	tm.Send(press("enter"))
	tm.Send(press("y"))
	waitFor(t, tm, "Step 5 of 9") // the fake CA issues at once
	finalView(t, tm, 80, 24)
	s := st.Settings
	if s == nil || st.Plan == nil {
		t.Fatal("no settings or plan")
	}
	if s.Email != "me@example.org" || !s.AgreeTOS || !strings.Contains(s.CADirectory, "acme-staging-v02") {
		t.Fatalf("settings %+v", s)
	}
}

// --ca with a URL pre-selects "Another ACME CA" with the URL filled in.
func TestCertificateCustomCAFromFlags(t *testing.T) {
	st, _ := siteAnswered(t)
	st.Opts.CA = "https://127.0.0.1:14000/dir"
	st.Opts.AgreeTOS = true
	tm := start(t, st, StepCertificate, 80, 24)
	waitFor(t, tm, "Terms: https://letsencrypt.org")
	_, v := finalView(t, tm, 80, 24)
	if !strings.Contains(v, "Certificate authority (CA): another ACME CA") || !strings.Contains(v, "> https://127.0.0.1:14000/dir") || !strings.Contains(v, "[Yes]") {
		t.Fatalf("not pre-filled:\n%s", v)
	}
}

// Going back keeps what was typed: the email typed here, then Esc to the
// site step and Enter again, is still there.
func TestCertificateBackKeepsTyping(t *testing.T) {
	st, _ := siteAnswered(t)
	tm := start(t, st, StepCertificate, 80, 24)
	waitFor(t, tm, "How the CA checks")
	tm.Type("me@example.org")
	tm.Send(press("esc"))
	waitFor(t, tm, "Step 2 of 9")
	tm.Send(press("enter"))
	waitFor(t, tm, "Step 3 of 9")
	_, v := finalView(t, tm, 80, 24)
	if !strings.Contains(v, "> me@example.org") {
		t.Fatalf("the typed email was lost:\n%s", v)
	}
}

// An account this server already registered with the CA: its email is
// pre-filled and the terms are not asked again, so Enter finishes.
func TestCertificateRemembersAccount(t *testing.T) {
	st, _ := siteAnswered(t)
	dir := t.TempDir()
	st.Base.StateDir, st.Opts.StateDir = dir, dir
	acc := filepath.Join(dir, "accounts")
	if err := writeAccount(acc, "https://acme-v02.api.letsencrypt.org/directory", "me@example.org"); err != nil {
		t.Fatal(err)
	}
	tm := start(t, st, StepCertificate, 80, 24)
	waitFor(t, tm, "How the CA checks")
	tm.Send(press("enter"))
	waitFor(t, tm, "Step 5 of 9")
	_, v := finalView(t, tm, 80, 24)
	if st.Settings == nil || st.Settings.Email != "me@example.org" || !st.Settings.AgreeTOS {
		t.Fatalf("settings %+v\n%s", st.Settings, v)
	}
}

// writeAccount lays out a registered account as provision stores it:
// <state>/accounts/<ca-host>-<hash>/<email>/account.json.
func writeAccount(accounts, directory, email string) error {
	h := sha256.Sum256([]byte(directory))
	u, _ := url.Parse(directory)
	dir := filepath.Join(accounts, u.Hostname()+"-"+hex.EncodeToString(h[:4]), email)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "account.json"), []byte(`{"uri": "https://acme.test/acct/1"}`), 0o600)
}
