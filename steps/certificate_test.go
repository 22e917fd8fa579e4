package steps

import (
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

// DNS-01 and "I already have a certificate" are shown but cannot be
// picked; the terms must be accepted.
func TestCertificateDisabledChoicesAndTerms(t *testing.T) {
	st, _ := siteAnswered(t)
	tm := start(t, st, StepCertificate, 80, 24)
	waitFor(t, tm, "How the CA checks")
	tm.Send(press("shift+tab")) // from the email to the CA
	tm.Send(press("shift+tab")) // to the method
	tm.Send(press("down"))
	tm.Send(press("down"))
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
