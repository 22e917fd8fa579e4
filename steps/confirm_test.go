package steps

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/ui"
)

var deployOK = []provision.Event{
	ev(provision.PhaseWrite, provision.KindStart, "writing 3 file(s)"),
	ev(provision.PhaseCheck, provision.KindStart, "nginx -t"),
	ev(provision.PhaseCheck, provision.KindOK, "nginx: configuration file /etc/nginx-fixture/nginx.conf test is successful"),
	ev(provision.PhaseReload, provision.KindStart, "/usr/sbin/nginx -c /etc/nginx-fixture/nginx.conf -s reload"),
	ev(provision.PhaseReload, provision.KindOK, "nginx reloaded"),
	ev(provision.PhaseVerify, provision.KindStart, "checking the site as a browser would"),
	ev(provision.PhaseVerify, provision.KindOK, "certificate served for www.example.test: expires 2026-05-30, 1 intermediate(s) sent"),
	ev(provision.PhaseVerify, provision.KindOK, "TLS 1.3 offered"),
	ev(provision.PhaseVerify, provision.KindOK, "TLS 1.0/1.1 refused"),
	ev(provision.PhaseVerify, provision.KindOK, "TLS 1.2 offered"),
	ev(provision.PhaseVerify, provision.KindOK, "http redirects to https: 301 → https://www.example.test/, path and query kept"),
	ev(provision.PhaseVerify, provision.KindOK, "https reaches the app: 200 OK"),
	ev(provision.PhaseVerify, provision.KindOK, "https://www.example.test serves the new certificate"),
}

func TestConfirmView(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			st, _ := newState(t)
			answered(t, st, true)
			tm := start(t, st, StepConfirm, sz.w, sz.h)
			waitFor(t, tm, "Apply these changes?")
			_, v := finalView(t, tm, sz.w, sz.h)
			golden(t, v)
		})
	}
}

// No is the default: Enter writes nothing, n goes back to the preview.
func TestConfirmDefaultsToNo(t *testing.T) {
	st, fe := newState(t)
	answered(t, st, true)
	tm := start(t, st, StepConfirm, 80, 24)
	waitFor(t, tm, "Apply these changes?")
	tm.Send(press("enter"))
	waitFor(t, tm, "Nothing written.")
	tm.Send(press("n"))
	waitFor(t, tm, "Step 6 of 9")
	sh, _ := finalView(t, tm, 80, 24)
	if sh.Current() != StepPreview || fe.deploys != 0 {
		t.Fatalf("at step %d after %d deploys", sh.Current(), fe.deploys)
	}
}

// y runs the engine's Deploy; nginx -t's verdict closes step 7, the
// reload and the checks show in step 8, which moves on to the summary by
// itself once verified.
func TestConfirmYesDeploysAndVerifies(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			st, fe := newState(t)
			answered(t, st, true)
			fe.deployEvents = deployOK
			tm := start(t, st, StepConfirm, sz.w, sz.h)
			waitFor(t, tm, "Apply these changes?")
			tm.Send(press("y"))
			waitFor(t, tm, "What changed")
			_, v := finalView(t, tm, sz.w, sz.h)
			if !strings.Contains(v, "Step 9 of 9") || !strings.Contains(printed[tm].String(), "Reload and verify") {
				t.Fatalf("not at step 9 after a ✓ line for the verification:\n%s", v)
			}
			golden(t, v)
		})
	}
}

// nginx -t refusing the files: its own words, and nothing changed.
func TestConfirmCheckFails(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			st, fe := newState(t)
			answered(t, st, true)
			fe.deployEvents = []provision.Event{
				ev(provision.PhaseWrite, provision.KindStart, "writing 3 file(s)"),
				ev(provision.PhaseCheck, provision.KindStart, "nginx -t"),
				ev(provision.PhaseCheck, provision.KindFail, "/usr/sbin/nginx -t -c /etc/nginx-fixture/nginx.conf failed:\nnginx: [emerg] cannot load certificate \"/var/lib/httpsify-fixture/live/www.example.test/fullchain.pem\""),
				ev(provision.PhaseRollback, provision.KindOK, "every file restored byte for byte"),
			}
			fe.deployErr = &provision.CheckError{Command: "/usr/sbin/nginx -t -c /etc/nginx-fixture/nginx.conf", Output: "nginx: [emerg] cannot load certificate \"/var/lib/httpsify-fixture/live/www.example.test/fullchain.pem\""}
			tm := start(t, st, StepConfirm, sz.w, sz.h)
			waitFor(t, tm, "Apply these changes?")
			tm.Send(press("y"))
			waitFor(t, tm, "back to the preview")
			_, v := finalView(t, tm, sz.w, sz.h)
			golden(t, v)
		})
	}
}

// Ctrl+C while nginx is being changed asks, then waits for the engine to
// finish before quitting, and still prints the summary.
func TestDeployCtrlCWaitsForTheEngine(t *testing.T) {
	st, fe := newState(t)
	answered(t, st, true)
	fe.deployEvents = deployOK[:2]
	hold := make(chan struct{})
	fe.holdDeploy = hold
	tm := start(t, st, StepConfirm, 80, 24)
	waitFor(t, tm, "Apply these changes?")
	tm.Send(press("y"))
	waitFor(t, tm, "nginx -t")
	tm.Send(press("ctrl+c"))
	waitFor(t, tm, "finishes or rolls back")
	tm.Send(press("y"))
	close(hold)
	sh := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*ui.Shell)
	if sh.Code != 0 || !strings.Contains(sh.Farewell, "is live") {
		t.Fatalf("code %d, farewell %q", sh.Code, sh.Farewell)
	}
}

// A failed check after the reload: the engine has rolled back; the step
// says so and Esc returns to the preview.
func TestDeployVerifyFails(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			st, fe := newState(t)
			answered(t, st, true)
			fe.deployEvents = append(append([]provision.Event(nil), deployOK[:7]...),
				ev(provision.PhaseVerify, provision.KindFail, "http redirects to https: 200 → "),
				ev(provision.PhaseVerify, provision.KindOK, "https reaches the app: 200 OK"),
				ev(provision.PhaseRollback, provision.KindOK, "every changed file restored byte for byte"),
				ev(provision.PhaseRollback, provision.KindOK, "nginx reloaded with the previous config"),
			)
			fe.deployErr = &provision.VerifyError{Checks: []provision.Check{{Name: "http redirects to https", Info: "200 → "}}}
			tm := start(t, st, StepConfirm, sz.w, sz.h)
			waitFor(t, tm, "Apply these changes?")
			tm.Send(press("y"))
			waitFor(t, tm, "rolled back")
			_, v := finalView(t, tm, sz.w, sz.h)
			golden(t, v)
		})
	}
	st, fe := newState(t)
	answered(t, st, true)
	fe.deployEvents = deployOK[:5]
	fe.deployErr = &provision.VerifyError{}
	tm := start(t, st, StepConfirm, 80, 24)
	waitFor(t, tm, "Apply these changes?")
	tm.Send(press("y"))
	waitFor(t, tm, "rolled back")
	tm.Send(press("esc"))
	waitFor(t, tm, "Step 6 of 9")
	sh, _ := finalView(t, tm, 80, 24)
	if sh.Current() != StepPreview {
		t.Fatalf("at step %d", sh.Current())
	}
}

// schedulingEngine is the fake engine of a session that installs the
// renewal schedule after the deploy.
type schedulingEngine struct{ *fakeEngine }

func (schedulingEngine) PlannedSchedule() string {
	return "Renewal: will install httpsify-renew.timer (systemd, twice a day), to run `httpsify renew`."
}

// The confirm screen says what will be installed to renew the certificate.
func TestConfirmSaysWhatRenews(t *testing.T) {
	st, fe := newState(t)
	st.Engine = schedulingEngine{fe}
	answered(t, st, true)
	tm := start(t, st, StepConfirm, 120, 40)
	waitFor(t, tm, "will install httpsify-renew.timer")
}

// On a short screen the question stays whole: the list above it is cut,
// saying so, instead of the question scrolling away.
func TestConfirmQuestionFitsAShortScreen(t *testing.T) {
	st, _ := newState(t)
	answered(t, st, true)
	tm := start(t, st, StepConfirm, 60, 14)
	waitFor(t, tm, "the preview shows every change")
	_, v := finalView(t, tm, 60, 14)
	if !strings.Contains(v, "Apply these changes?") {
		t.Fatalf("the question is not on a 60x14 screen:\n%s", v)
	}
}

// On a site certbot set up, the confirm screen says before anything is
// written that certbot's renewal of it is switched off after httpsify's
// first renewal, and how to get it back.
func TestConfirmSaysCertbotRenewalIsHandedOver(t *testing.T) {
	st, _ := newState(t)
	answered(t, st, true)
	st.Plan.Certbot = &provision.CertbotTakeover{Dir: "/etc/letsencrypt", Lineage: "www.example.test", RenewalOn: true, Adopt: true,
		Fullchain: "/etc/letsencrypt/archive/www.example.test/fullchain1.pem", NotAfter: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)}
	tm := start(t, st, StepConfirm, 200, 60)
	waitFor(t, tm, "certbot's lineage www.example.test: httpsify adopts it")
	_, v := finalView(t, tm, 200, 60)
	if !strings.Contains(v, "httpsify rollback restores it), so the two never both renew it.") {
		t.Errorf("the confirm screen does not say how certbot's renewal comes back:\n%s", v)
	}
}
