package steps

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/ui"
)

// issueEvents is what the engine reports while asking the CA.
var issueEvents = []provision.Event{
	ev(provision.PhaseIssue, provision.KindStart, "contacting https://acme-v02.api.letsencrypt.org/directory"),
	ev(provision.PhasePrepare, provision.KindStart, "letting nginx answer the CA's challenge on port 80"),
	ev(provision.PhaseCheck, provision.KindStart, "nginx -t"),
	ev(provision.PhaseCheck, provision.KindOK, "nginx: configuration file /etc/nginx-fixture/nginx.conf test is successful"),
	ev(provision.PhaseReload, provision.KindStart, "/usr/sbin/nginx -c /etc/nginx-fixture/nginx.conf -s reload"),
	ev(provision.PhaseReload, provision.KindOK, "nginx reloaded"),
	ev(provision.PhasePrepare, provision.KindOK, "port 80 serves challenge files from /var/lib/httpsify-fixture/acme-challenge"),
	ev(provision.PhaseIssue, provision.KindLog, "[INFO] [www.example.test] acme: Obtaining bundled SAN certificate"),
	ev(provision.PhaseIssue, provision.KindStart, "asking the CA for a certificate for www.example.test"),
}

// held makes the fake CA wait until the test ends (or a cancel).
func held(t *testing.T, fe *fakeEngine) chan struct{} {
	hold := make(chan struct{})
	fe.holdIssue = hold
	t.Cleanup(func() {
		select {
		case <-hold:
		default:
			close(hold)
		}
	})
	return hold
}

func TestIssueRunning(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			st, fe := newState(t)
			answered(t, st, false)
			fe.issueEvents = issueEvents
			held(t, fe)
			tm := start(t, st, StepIssue, sz.w, sz.h)
			waitFor(t, tm, "asking the CA")
			_, v := finalView(t, tm, sz.w, sz.h)
			if strings.Contains(v, "Obtaining") {
				t.Error("the ACME library's log is shown without --verbose")
			}
			golden(t, v)
		})
	}
}

// A CA error is explained in plain words, with its own message below.
func TestIssueFailureExplained(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			st, fe := newState(t)
			answered(t, st, false)
			fe.issueEvents = issueEvents
			// As the engine classifies it: the CA's problem, type connection.
			fe.issueErr = &provision.IssueError{Cause: provision.CauseConnection, FromCA: true, Problem: "urn:ietf:params:acme:error:connection", Err: errors.New(`the CA did not issue the certificate: error: one or more domains had a problem:
[www.example.test] invalid authorization: acme: error: 400 :: urn:ietf:params:acme:error:connection :: 203.0.113.10: Fetching http://www.example.test/.well-known/acme-challenge/abc: Timeout during connect (likely firewall problem)
→ the CA could not reach this server on port 80: check the firewall and that the names' DNS A/AAAA records point here`)}
			tm := start(t, st, StepIssue, sz.w, sz.h)
			waitFor(t, tm, "In the CA's words")
			_, v := finalView(t, tm, sz.w, sz.h)
			golden(t, v)
		})
	}
}

// Esc cancels; the engine cleans up; Enter tries again.
func TestIssueCancelAndRetry(t *testing.T) {
	st, fe := newState(t)
	answered(t, st, false)
	hold := held(t, fe)
	tm := start(t, st, StepIssue, 80, 24)
	waitFor(t, tm, "esc cancel")
	tm.Send(press("esc"))
	waitFor(t, tm, "Cancelled.")
	close(hold)
	tm.Send(press("enter"))
	waitFor(t, tm, "Step 5 of 9")
	sh, _ := finalView(t, tm, 80, 24)
	if sh.Current() != StepLocation || st.Issued == nil {
		t.Fatalf("at step %d, issued %v", sh.Current(), st.Issued)
	}
}

// Ctrl+C during issuance asks first; yes cancels, waits for the engine's
// clean-up and quits.
func TestIssueCtrlCAsksThenStops(t *testing.T) {
	st, fe := newState(t)
	answered(t, st, false)
	held(t, fe)
	tm := start(t, st, StepIssue, 80, 24)
	waitFor(t, tm, "esc cancel")
	tm.Send(press("ctrl+c"))
	waitFor(t, tm, "Stop getting the certificate")
	tm.Send(press("n"))
	waitFor(t, tm, "esc cancel")
	tm.Send(press("ctrl+c"))
	waitFor(t, tm, "Stop getting the certificate")
	tm.Send(press("y"))
	sh := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*ui.Shell)
	if sh.Code != ui.ExitInterrupted || !strings.Contains(sh.Farewell, "nginx runs its old configuration") {
		t.Fatalf("code %d, farewell %q", sh.Code, sh.Farewell)
	}
	if !strings.Contains(st.Log[len(st.Log)-1].Message, "removed again") {
		t.Fatalf("quit before the engine cleaned up: %v", st.Log)
	}
}

// A long CA error is read in full at 80x24: nothing is cut, the rest is
// reached with ↓, and the CA's own log is one key away.
func TestIssueLongFailureScrolls(t *testing.T) {
	st, fe := newState(t)
	answered(t, st, false)
	fe.issueEvents = issueEvents
	var words []string
	for i := range 150 {
		words = append(words, fmt.Sprintf("detail%03d", i))
	}
	fe.issueErr = errors.New("the CA did not issue the certificate: " + strings.Join(words, " ") + " END-OF-ERROR")
	tm := start(t, st, StepIssue, 80, 24)
	waitFor(t, tm, "to read the rest")
	for range 30 {
		tm.Send(press("down"))
	}
	waitFor(t, tm, "END-OF-ERROR")
	tm.Send(press("l"))
	for range 30 {
		tm.Send(press("up"))
	}
	waitFor(t, tm, "Obtaining bundled SAN certificate")
	finalView(t, tm, 80, 24)
}
