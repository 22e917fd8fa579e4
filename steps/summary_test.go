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
	for _, want := range []string{
		"    sudo httpsify apply --domain www.example.test --upstream unix:/srv/app/app.sock --email me@example.org --agree-tos --nginx-conf /etc/nginx-fixture/nginx.conf --nginx-bin /usr/sbin/nginx --state-dir /var/lib/httpsify-fixture --yes\n",
		"    cp -a /var/lib/httpsify-fixture/backups/20260301-093000.000000000-abcd1234/etc/nginx-fixture/nginx.conf /etc/nginx-fixture/nginx.conf\n",
		"    rm /var/lib/httpsify-fixture/live/www.example.test\n",
		"    /usr/sbin/nginx -t -c /etc/nginx-fixture/nginx.conf && /usr/sbin/nginx -c /etc/nginx-fixture/nginx.conf -s reload\n",
		"app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)",
		"TLS 1.2 or newer",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("farewell lacks %q:\n%s", want, out)
		}
	}
}
