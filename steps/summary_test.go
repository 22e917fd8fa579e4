package steps

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/httpsify/httpsify/ui"
)

func TestSummaryView(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			st, _ := newState(t)
			answered(t, st, true)
			st.Result = fixResult(st.Plan, st.Issued)
			tm := start(t, st, StepSummary, sz.w, sz.h)
			waitFor(t, tm, "What changed")
			_, v := finalView(t, tm, sz.w, sz.h)
			golden(t, v)
		})
	}
}

// Enter ends the wizard; the summary is printed whole, with each command
// on one line so it can be copied.
func TestSummaryFarewell(t *testing.T) {
	st, _ := newState(t)
	answered(t, st, true)
	st.Result = fixResult(st.Plan, st.Issued)
	tm := start(t, st, StepSummary, 80, 24)
	waitFor(t, tm, "What changed")
	tm.Send(press("enter"))
	sh := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*ui.Shell)
	if sh.Code != 0 {
		t.Fatalf("code %d", sh.Code)
	}
	out := ansi.Strip(sh.Farewell)
	prose := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		"    sudo httpsify apply --domain www.example.test --upstream unix:/srv/app/app.sock --email me@example.org --agree-tos --nginx-conf /etc/nginx-fixture/nginx.conf --nginx-bin /usr/sbin/nginx --state-dir /var/lib/httpsify-fixture --yes\n",
		"    cp -a /var/lib/httpsify-fixture/backups/20260301-093000.000000000-abcd1234/etc/nginx-fixture/nginx.conf /etc/nginx-fixture/nginx.conf\n",
		"    rm /var/lib/httpsify-fixture/live/www.example.test\n",
		"    /usr/sbin/nginx -t -c /etc/nginx-fixture/nginx.conf && /usr/sbin/nginx -c /etc/nginx-fixture/nginx.conf -s reload\n",
		"app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("farewell lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(prose, "TLS 1.2 or newer") {
		t.Error("the WeChat hint is missing")
	}
}

// On screen at 80 columns a command is never cut inside a word or path:
// its lines, joined at their " \" continuations, are the command itself,
// and none is wider than the screen.
func TestSummaryCommandsCopySafeAt80(t *testing.T) {
	st, _ := newState(t)
	answered(t, st, true)
	st.Result = fixResult(st.Plan, st.Issued)
	text := ansi.Strip(SummaryText(st, 80, true))
	lines := strings.Split(text, "\n")
	for _, l := range lines {
		// A path wider than the screen stays whole on its own line
		// (the summary pans sideways): never cut or wrapped inside.
		if ansi.StringWidth(l) > 80 && len(strings.Fields(strings.TrimSuffix(l, ` \`))) > 1 {
			t.Errorf("line wider than 80: %q", l)
		}
	}
	joined := strings.ReplaceAll(text, " \\\n      ", " ")
	for _, cmd := range append([]string{"sudo " + st.Settings.ApplyCommand()}, st.Result.RollbackCommands()...) {
		if !strings.Contains(joined, "    "+cmd+"\n") {
			t.Errorf("the screen does not hold %q whole:\n%s", cmd, text)
		}
	}
	if strings.Contains(text, "expir") && strings.Contains(text, "mail") && !strings.Contains(text, "sends no reminder") {
		t.Error("the summary promises expiry mail")
	}
	for _, want := range []string{"security group", "ICP filing", "request-domain list", "Renewal is not automatic yet"} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("next steps lack %q", want)
		}
	}
}

// Leaving the summary with q (or Ctrl+C) is no failure: the change was
// made, so the exit is 0 and the summary is printed as with Enter.
func TestSummaryQuitPrintsSummary(t *testing.T) {
	st, _ := newState(t)
	answered(t, st, true)
	st.Result = fixResult(st.Plan, st.Issued)
	tm := start(t, st, StepSummary, 80, 24)
	waitFor(t, tm, "What changed")
	tm.Send(press("q"))
	sh := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*ui.Shell)
	if sh.Code != 0 || !strings.Contains(sh.Farewell, "is live") {
		t.Fatalf("code %d, farewell %q", sh.Code, sh.Farewell)
	}
}

// A path wider than the screen ends in "…" on screen, and → shows the
// rest of it, so it can be read whole.
func TestSummaryPansLongPaths(t *testing.T) {
	st, _ := newState(t)
	answered(t, st, true)
	st.Result = fixResult(st.Plan, st.Issued)
	tm := start(t, st, StepSummary, 80, 24)
	waitFor(t, tm, "etc/…")
	for range 4 {
		tm.Send(press("right"))
	}
	waitFor(t, tm, "nginx-fixture/nginx.conf \\")
	finalView(t, tm, 80, 24)
}

// With a renewal schedule installed the summary says renewal is automatic
// and names what runs it, instead of asking for a rerun.
func TestSummarySaysRenewalIsScheduled(t *testing.T) {
	st, _ := newState(t)
	answered(t, st, true)
	st.Result = fixResult(st.Plan, st.Issued)
	st.Result.Schedule, st.Result.Scheduled = "installed httpsify-renew.timer (systemd, twice a day)", true
	prose := strings.Join(strings.Fields(ansi.Strip(SummaryText(st, 120, true))), " ")
	if !strings.Contains(prose, "Renewal is automatic: installed httpsify-renew.timer (systemd, twice a day) runs `httpsify renew`") {
		t.Errorf("the summary does not say what renews the certificate:\n%s", prose)
	}
	if strings.Contains(prose, "Renewal is not automatic yet") {
		t.Error("the summary still says renewal is not automatic")
	}
}
