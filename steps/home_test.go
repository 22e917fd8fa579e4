package steps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/txn"
	"github.com/httpsify/httpsify/ui"
)

// fakeManager plays the managed sites: scripted statuses, checks and
// renewals, recording what was asked.
type fakeManager struct {
	st       *State
	statuses []provision.SiteStatus
	checks   []provision.Check
	checkErr error
	renewal  provision.SiteRenewal
	opts     provision.Options

	planErr error

	checked, renewed []string
	planned          []bool // restore, for each PlanRemove
	removed          []*provision.RemovePlan
}

func (m *fakeManager) Statuses(time.Time) ([]provision.SiteStatus, error) {
	return append([]provision.SiteStatus(nil), m.statuses...), nil
}

func (m *fakeManager) CheckSite(ctx context.Context, primary string) ([]provision.Check, error) {
	m.checked = append(m.checked, primary)
	m.st.Feed.Sink(ev(provision.PhaseVerify, provision.KindStart, "checking https://"+primary+" as a browser would"))
	for _, c := range m.checks {
		k := provision.KindOK
		if !c.OK {
			k = provision.KindFail
		}
		m.st.Feed.Sink(ev(provision.PhaseVerify, k, c.Line()))
	}
	return m.checks, m.checkErr
}

func (m *fakeManager) RenewSite(ctx context.Context, primary string) provision.SiteRenewal {
	m.renewed = append(m.renewed, primary)
	m.st.Feed.Sink(ev(provision.PhaseIssue, provision.KindStart, "renewing "+primary+": forced (--force)"))
	r := m.renewal
	if r.Outcome == provision.OutcomeRenewed {
		// What status reads afterwards: the new expiry, a renew run.
		na := fixNow.Add(90 * 24 * time.Hour)
		m.statuses[0].NotAfter = &na
		m.statuses[0].LastRun = &provision.LastRun{Time: fixNow, Action: provision.RunRenew, OK: true}
	}
	return r
}

func (m *fakeManager) SiteOptions(primary string) (provision.Options, error) {
	if primary != m.statuses[0].Name {
		return provision.Options{}, errors.New("no stored request")
	}
	return m.opts, nil
}

func (m *fakeManager) PlanRemove(primary string, restore bool) (*provision.RemovePlan, error) {
	m.planned = append(m.planned, restore)
	if m.planErr != nil {
		return nil, m.planErr
	}
	s := &provision.Settings{}
	s.Domains = []string{primary}
	rp := &provision.RemovePlan{Settings: s, Restore: restore, CertVersions: fixState + "/archive/" + primary,
		Schedule: "the renewal schedule stays: 1 other site is renewed by it"}
	if restore {
		rp.Deleted = []string{fixState + "/archive/" + primary}
		rp.Files = []provision.RemoveFile{
			{Undo: txn.Undo{Change: txn.Change{Path: fixSite}, Existed: true}, Role: provision.RoleSite, Existed: true},
			{Undo: txn.Undo{Change: txn.Change{Path: fixState + "/live/" + primary, Remove: true}}, Role: provision.RoleCertificate},
		}
	} else {
		rp.Kept = []provision.KeptFile{{Path: fixSite, Why: "kept as it is: the site keeps serving HTTPS"}}
		rp.Notes = []string{"httpsify stops managing " + primary + ": its certificate will NOT be renewed by httpsify"}
	}
	return rp, nil
}

func (m *fakeManager) Remove(ctx context.Context, rp *provision.RemovePlan) (*provision.RemoveResult, error) {
	m.removed = append(m.removed, rp)
	m.st.Feed.Sink(ev(provision.PhaseWrite, provision.KindStart, "restoring 2 files as they were before httpsify"))
	m.st.Feed.Sink(ev(provision.PhaseVerify, provision.KindOK, "http answers / as before: 200 OK"))
	m.statuses = m.statuses[1:]
	res := &provision.RemoveResult{Plan: rp, Schedule: rp.Schedule}
	if !rp.Restore {
		res.Checks = []provision.Check{{Name: "https serves " + rp.Settings.Primary() + "'s certificate, unchanged", Warn: true, Info: "another certificate is served (serial 2a)"}}
	}
	return res, nil
}

func tp(t time.Time) *time.Time { return &t }

// managedState is the wizard state with two managed sites: a healthy one
// and one whose renewal fails (with a CA's message carrying escapes).
func managedState(t *testing.T) (*State, *fakeEngine, *fakeManager) {
	st, fe := newState(t)
	m := &fakeManager{st: st, statuses: []provision.SiteStatus{
		{
			Name: "www.example.test", Names: []string{"www.example.test", "example.test"}, Source: provision.CertSourceACME,
			CA: "https://acme-v02.api.letsencrypt.org/directory", Challenge: "http-01", CertDir: fixState + "/live/www.example.test",
			NotAfter: tp(fixNow.Add(60 * 24 * time.Hour)), NextRenewal: tp(fixNow.Add(30 * 24 * time.Hour)), RenewalRule: "lifetime",
			ConfigFile: fixSite, LastRun: &provision.LastRun{Time: fixNow.Add(-30 * 24 * time.Hour), Action: provision.RunApply, OK: true},
			Warnings: []provision.Warning{},
		},
		{
			Name: "shop.example.test", Names: []string{"shop.example.test"}, Source: provision.CertSourceACME,
			CA: "https://127.0.0.1:14000/dir", Challenge: "http-01", CertDir: fixState + "/live/shop.example.test",
			NotAfter: tp(fixNow.Add(5 * 24 * time.Hour)), NextRenewal: tp(fixNow.Add(-25 * 24 * time.Hour)), RenewalDue: true,
			LastRun:   &provision.LastRun{Time: fixNow.Add(-12 * time.Hour), Action: provision.RunRenew, OK: false, Error: "rate limited"},
			Warnings:  []provision.Warning{{Kind: provision.WarnRenewalFailing, Message: "renewal failing: \x1b]0;pwned\x07urn:ietf:params:acme:error:rateLimited", Attention: true}},
			Attention: true,
		},
	}}
	m.checks = []provision.Check{
		{Name: "certificate served for www.example.test", OK: true, Info: "expires 2026-04-30, 1 intermediate sent"},
		{Name: "TLS 1.3 offered", OK: true},
		{Name: "https reaches the app", OK: true, Info: "200 OK"},
	}
	o := st.Opts
	o.Domains, o.Upstream, o.Email, o.AgreeTOS, o.HSTS = []string{"www.example.test"}, "unix:/srv/app/app.sock", "me@example.org", true, true
	m.opts = o
	st.Manager = m
	return st, fe, m
}

func startHome(t *testing.T, st *State, w, h int) *teatest.TestModel {
	t.Helper()
	return teatest.NewTestModel(t, New(st), teatest.WithInitialTermSize(w, h))
}

// With managed sites the wizard opens on them, at 80x24 and 60x20: the
// table, the selected site's details and warnings, the actions, the keys.
func TestHomeView(t *testing.T) {
	for _, sz := range []struct {
		name string
		w, h int
	}{{"80x24", 80, 24}, {"60x20", 60, 20}} {
		t.Run(sz.name, func(t *testing.T) {
			st, _, _ := managedState(t)
			tm := startHome(t, st, sz.w, sz.h)
			waitFor(t, tm, "check now")
			tm.Send(press("down")) // the site with a warning
			waitFor(t, tm, "renewal failing")
			sh, v := finalView(t, tm, sz.w, sz.h)
			if sh.Current() >= 0 {
				t.Fatalf("opened on step %d, not the sites", sh.Current())
			}
			if strings.Contains(v, "\x1b") || strings.Contains(v, "pwned\a") {
				t.Fatalf("a CA's escape sequence reached the screen: %q", v)
			}
			golden(t, v)
		})
	}
}

// Without managed sites the wizard starts at preflight, as before.
func TestHomeNotShownWithoutSites(t *testing.T) {
	st, _, m := managedState(t)
	m.statuses = nil
	tm := startHome(t, st, 80, 24)
	waitFor(t, tm, "Step 2 of 9")
	if sh, _ := finalView(t, tm, 80, 24); sh.Current() != StepSite {
		t.Fatalf("at step %d", sh.Current())
	}
}

// Re-verifying a healthy site takes one key from launch (the issue
// allows three): Enter runs "check now" on the selected site, and the
// screen says "verified" because every check passed.
func TestHomeCheckWithinThreeKeys(t *testing.T) {
	st, _, m := managedState(t)
	tm := startHome(t, st, 80, 24)
	waitFor(t, tm, "check now")
	keys := 0
	tm.Send(press("enter"))
	keys++
	waitFor(t, tm, "www.example.test verified")
	if keys > 3 || len(m.checked) != 1 || m.checked[0] != "www.example.test" {
		t.Fatalf("%d keys, checked %v", keys, m.checked)
	}
	tm.Send(press("q"))
	out, _ := io.ReadAll(tm.FinalOutput(t, teatest.WithFinalTimeout(5*time.Second)))
	sh := tm.FinalModel(t).(*ui.Shell)
	if sh.Code != 0 {
		t.Fatalf("quit from the sites screen exits %d", sh.Code)
	}
	// The verdict stays in the scrollback.
	if !strings.Contains(ansi.Strip(printed[tm].String()+string(out)), "✓ www.example.test verified") {
		t.Fatal("no verdict left in the scrollback")
	}
}

// A failed check never says verified: it names the check that failed.
func TestHomeCheckFails(t *testing.T) {
	st, _, m := managedState(t)
	m.checks[0] = provision.Check{Name: "certificate served for www.example.test", Info: "an older certificate is served (serial 1f, expires 2026-03-02)"}
	m.checkErr = &provision.VerifyError{Checks: m.checks}
	tm := startHome(t, st, 80, 24)
	waitFor(t, tm, "check now")
	tm.Send(press("c"))
	waitFor(t, tm, "did not pass the check")
	_, v := finalView(t, tm, 80, 24)
	if strings.Contains(v, "verified") || !strings.Contains(v, "an older certificate is served") {
		t.Fatalf("view:\n%s", v)
	}
}

// r renews the selected site through the engine's renewal, streams its
// events, says what was served afterwards, and the table shows the new
// expiry and last run.
func TestHomeRenewNow(t *testing.T) {
	st, _, m := managedState(t)
	leaf := fixLeaf()
	m.renewal = provision.SiteRenewal{Primary: "www.example.test", Outcome: provision.OutcomeRenewed,
		Result: &provision.Result{Issued: &provision.Issued{New: true, Leaf: leaf}}}
	tm := startHome(t, st, 80, 24)
	waitFor(t, tm, "check now")
	tm.Send(press("r"))
	waitFor(t, tm, "www.example.test renewed: the new certificate (serial 1) is served")
	_, v := finalView(t, tm, 80, 24)
	if len(m.renewed) != 1 || !strings.Contains(v, "renewing www.example.test") || !strings.Contains(v, "2026-05-30 90d") || !strings.Contains(v, "✓ renew") {
		t.Fatalf("renewed %v; view:\n%s", m.renewed, v)
	}
}

// A failed renewal says the old certificate is still served.
func TestHomeRenewFails(t *testing.T) {
	st, _, m := managedState(t)
	m.renewal = provision.SiteRenewal{Primary: "www.example.test", Outcome: provision.OutcomeFailed, Err: errors.New("the CA refused the order")}
	tm := startHome(t, st, 80, 24)
	waitFor(t, tm, "check now")
	tm.Send(press("r"))
	waitFor(t, tm, "the old certificate is still served")
	_, v := finalView(t, tm, 80, 24)
	if strings.Contains(v, "renewed:") {
		t.Fatalf("view:\n%s", v)
	}
}

// e changes the selected site: the numbered steps follow, pre-filled
// from its stored request, and go through the usual preview and confirm.
func TestHomeChangeGoesThroughTheSteps(t *testing.T) {
	st, fe, _ := managedState(t)
	fe.issueEvents, fe.deployEvents = issueEvents, deployOK
	tm := startHome(t, st, 80, 24)
	waitFor(t, tm, "check now")
	tm.Send(press("e"))
	waitFor(t, tm, "Step 2 of 9")
	if len(st.Opts.Domains) != 1 || st.Opts.Domains[0] != "www.example.test" || !st.Opts.HSTS {
		t.Fatalf("answers not pre-filled: %+v", st.Opts)
	}
	for _, s := range []struct {
		wait string
		keys []string
	}{
		{"www.example.test", []string{"enter"}},
		{"Terms", []string{"enter"}},
		{"Certificate directory", []string{"enter"}},
		{"HSTS on", []string{"enter"}},
		{"Apply these changes?", []string{"y"}},
		{"What changed", []string{"enter"}},
	} {
		waitFor(t, tm, s.wait)
		for _, k := range s.keys {
			tm.Send(press(k))
		}
	}
	out, _ := io.ReadAll(tm.FinalOutput(t, teatest.WithFinalTimeout(5*time.Second)))
	transcript := ansi.Strip(printed[tm].String() + string(out))
	if fe.deploys != 1 || !strings.Contains(transcript, "✓ Sites httpsify manages · change www.example.test") || !strings.Contains(transcript, "✓ Preview") {
		t.Fatalf("%d deploys; transcript:\n%s", fe.deploys, transcript)
	}
	if !st.Settings.HSTS || st.Settings.Email != "me@example.org" {
		t.Fatalf("the stored answers were not kept: %+v", st.Settings.Request)
	}
}

// a starts the wizard from the beginning with the answers it was
// started with, not the selected site's.
func TestHomeAddSite(t *testing.T) {
	st, _, _ := managedState(t)
	tm := startHome(t, st, 80, 24)
	waitFor(t, tm, "check now")
	tm.Send(press("a"))
	waitFor(t, tm, "Step 2 of 9")
	sh, _ := finalView(t, tm, 80, 24)
	if sh.Current() != StepSite || len(st.Opts.Domains) != 0 || st.Opts.HSTS {
		t.Fatalf("at step %d with %+v", sh.Current(), st.Opts)
	}
}

// The line prompts offer the same table and actions: check the first
// site, renew it, then quit.
func TestPlainHome(t *testing.T) {
	st, _, m := managedState(t)
	m.renewal = provision.SiteRenewal{Primary: "www.example.test", Outcome: provision.OutcomeRenewed,
		Result: &provision.Result{Issued: &provision.Issued{New: true, Leaf: fixLeaf()}}}
	var out bytes.Buffer
	answers := strings.Join([]string{"1", "1", "1", "2", "1", "6"}, "\n") + "\n"
	code := RunPlain(st, strings.NewReader(answers), &out)
	text := out.String()
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, text)
	}
	for _, want := range []string{
		"Sites httpsify manages", "www.example.test: letsencrypt", "shop.example.test", "renewal failing",
		"What should httpsify do?", "✓ www.example.test verified", "www.example.test renewed: the new certificate (serial 1)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\x1b") || strings.Contains(text, "Step 1 of 9") {
		t.Errorf("escape sequence or wizard steps in the output:\n%s", text)
	}
	if len(m.checked) != 1 || len(m.renewed) != 1 {
		t.Fatalf("checked %v renewed %v", m.checked, m.renewed)
	}
}

// In the line prompts, change goes on to the numbered steps, pre-filled.
func TestPlainHomeChange(t *testing.T) {
	st, fe, _ := managedState(t)
	fe.issueEvents, fe.deployEvents = issueEvents, deployOK
	answers := strings.Join([]string{"1", "3", // site, change
		"1", "", "", // site, names, app (kept)
		"1", "1", "", "y", // method, CA, email (kept), terms
		"",              // certificate directory
		"", "", "", "1", // HSTS (kept: on), HTTP/2, upload limit, TLS profile
		"", "y"}, "\n") + "\n"
	var out bytes.Buffer
	code := RunPlain(st, strings.NewReader(answers), &out)
	if code != 0 || fe.deploys != 1 || !st.Settings.HSTS {
		t.Fatalf("exit %d, %d deploys, HSTS %v:\n%s", code, fe.deploys, st.Settings.HSTS, out.String())
	}
	if !strings.Contains(out.String(), "Step 6 of 9: Preview") {
		t.Fatalf("no preview:\n%s", out.String())
	}
}

// x removes the selected site: restore or keep first, then what the
// engine's plan says, then yes (default no); the table loses the site.
func TestHomeRemoveRestore(t *testing.T) {
	st, _, m := managedState(t)
	tm := startHome(t, st, 80, 24)
	waitFor(t, tm, "check now")
	tm.Send(press("x"))
	waitFor(t, tm, "Restore it as it was before httpsify")
	tm.Send(press("enter"))
	waitFor(t, tm, "Remove www.example.test?")
	if len(m.removed) != 0 {
		t.Fatal("removed before the confirmation")
	}
	tm.Send(press("y"))
	waitFor(t, tm, "www.example.test is no longer managed by httpsify: its files")
	_, v := finalView(t, tm, 80, 24)
	if len(m.planned) != 1 || !m.planned[0] || len(m.removed) != 1 || !m.removed[0].Restore {
		t.Fatalf("planned %v, removed %d", m.planned, len(m.removed))
	}
	if strings.Contains(v, "> www.example.test") || !strings.Contains(v, "shop.example.test") {
		t.Fatalf("the table still lists the removed site:\n%s", v)
	}
}

// The confirmation screen shows the engine's plan above the question,
// at 80x24 and 60x20.
func TestHomeRemoveConfirmView(t *testing.T) {
	for _, sz := range []struct {
		name string
		w, h int
	}{{"80x24", 80, 24}, {"60x20", 60, 20}} {
		t.Run(sz.name, func(t *testing.T) {
			st, _, _ := managedState(t)
			tm := startHome(t, st, sz.w, sz.h)
			waitFor(t, tm, "check now")
			tm.Send(press("x"))
			waitFor(t, tm, "Restore it as it was")
			tm.Send(press("enter"))
			waitFor(t, tm, "Remove www.example.test?")
			_, v := finalView(t, tm, sz.w, sz.h)
			golden(t, v)
		})
	}
}

// Keeping the site, then saying no, changes nothing.
func TestHomeRemoveKeepDeclined(t *testing.T) {
	st, _, m := managedState(t)
	tm := startHome(t, st, 80, 24)
	waitFor(t, tm, "check now")
	tm.Send(press("x"))
	waitFor(t, tm, "Keep it as it is")
	tm.Send(press("down"))
	tm.Send(press("enter"))
	waitFor(t, tm, "its certificate will NOT")
	tm.Send(press("enter")) // the default is No
	waitFor(t, tm, "Nothing was changed: www.example.test is still managed")
	finalView(t, tm, 80, 24)
	if len(m.planned) != 1 || m.planned[0] || len(m.removed) != 0 {
		t.Fatalf("planned %v, removed %d", m.planned, len(m.removed))
	}
}

// A restore the engine refuses (a file edited since) is said, and
// nothing is asked or removed.
func TestHomeRemoveRefused(t *testing.T) {
	st, _, m := managedState(t)
	m.planErr = &provision.RestoreEditedError{Site: "www.example.test", Path: fixSite, Err: errors.New("edited")}
	tm := startHome(t, st, 80, 24)
	waitFor(t, tm, "check now")
	tm.Send(press("x"))
	waitFor(t, tm, "Restore it as it was")
	tm.Send(press("enter"))
	waitFor(t, tm, "was edited since httpsify changed it")
	tm.Send(press("enter"))
	waitFor(t, tm, "a add a site")
	_, v := finalView(t, tm, 80, 24)
	if len(m.removed) != 0 || strings.Contains(v, "Remove www.example.test?") {
		t.Fatalf("removed %d:\n%s", len(m.removed), v)
	}
}

// The line prompts remove the same way: restore, the plan, yes.
func TestPlainHomeRemove(t *testing.T) {
	st, _, m := managedState(t)
	var out bytes.Buffer
	answers := strings.Join([]string{"1", "4", "1", "y", "1", "6"}, "\n") + "\n"
	code := RunPlain(st, strings.NewReader(answers), &out)
	text := out.String()
	if code != 0 || len(m.removed) != 1 || !m.removed[0].Restore {
		t.Fatalf("exit %d, removed %d:\n%s", code, len(m.removed), text)
	}
	for _, want := range []string{"Remove www.example.test and restore its files as they were before httpsify:", "restore  " + fixSite, "Remove www.example.test?", "is no longer managed by httpsify"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}

// A long list scrolls to keep the selected site in view, within 60x20.
func TestHomeManySitesScroll(t *testing.T) {
	st, _, m := managedState(t)
	base := m.statuses[0]
	m.statuses = nil
	for i := 1; i <= 9; i++ {
		s := base
		s.Name = fmt.Sprintf("site%d.example.test", i)
		s.Names = []string{s.Name}
		m.statuses = append(m.statuses, s)
	}
	tm := startHome(t, st, 60, 20)
	waitFor(t, tm, "3 more")
	for range 8 {
		tm.Send(press("down"))
	}
	waitFor(t, tm, "> site9.example.test")
	_, v := finalView(t, tm, 60, 20)
	if strings.Contains(v, "site1.example.test") || strings.Contains(v, "more (↓)") {
		t.Fatalf("the list did not scroll to the last site:\n%s", v)
	}
}

// Keeping the site, then yes: the result says what https was observed to
// serve, a warning when it is not the kept certificate.
func TestHomeRemoveKeep(t *testing.T) {
	st, _, m := managedState(t)
	tm := startHome(t, st, 80, 24)
	waitFor(t, tm, "check now")
	tm.Send(press("x"))
	waitFor(t, tm, "Keep it as it is")
	tm.Send(press("down"))
	tm.Send(press("enter"))
	waitFor(t, tm, "Remove www.example.test?")
	tm.Send(press("y"))
	waitFor(t, tm, "! https serves www.example.test's certificate")
	_, v := finalView(t, tm, 80, 24)
	if len(m.removed) != 1 || m.removed[0].Restore || !strings.Contains(v, "! https serves www.example.test's certificate") {
		t.Fatalf("removed %d:\n%s", len(m.removed), v)
	}
}
