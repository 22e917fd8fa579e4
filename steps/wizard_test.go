package steps

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/httpsify/httpsify/ui"
)

// A whole run with the fake engine, typed as a person would, using only
// Enter, y and letters: every step leaves its ✓ line in the transcript,
// and the plan deployed is the one apply would build from the same flags.
func TestWizardWholeRun(t *testing.T) {
	st, fe := newState(t)
	fe.issueEvents, fe.deployEvents = issueEvents, deployOK
	tm := start(t, st, StepPreflight, 80, 24)
	steps := []struct {
		wait string
		keys []string
	}{
		{"203.0.113.10", []string{"enter"}},
		{"Terms: https://letsencrypt.org", []string{"me@example.org", "enter", "y"}},
		{"Certificate directory", []string{"enter"}},
		{"HSTS off", []string{"enter"}},
		{"Apply these changes?", []string{"y"}},
		{"What changed", []string{"enter"}},
	}
	presses := 0
	for _, s := range steps {
		waitFor(t, tm, s.wait)
		for _, k := range s.keys {
			if len(k) > 1 && k != "enter" {
				tm.Type(k)
				continue
			}
			tm.Send(press(k))
			presses++
		}
	}
	// Typing the email and its Enter aside: the issue's six keys.
	if presses-1 > 6 {
		t.Errorf("%d key presses besides the email", presses-1)
	}
	out, err := io.ReadAll(tm.FinalOutput(t, teatest.WithFinalTimeout(5*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	sh := tm.FinalModel(t).(*ui.Shell)
	if sh.Code != 0 || fe.deploys != 1 {
		t.Fatalf("code %d, %d deploys", sh.Code, fe.deploys)
	}
	transcript := ansi.Strip(printed[tm].String() + string(out))
	for _, title := range []string{"Preflight", "Site and domain", "Certificate", "Issuance", "Install location", "Preview", "Confirm and check", "Reload and verify"} {
		if !strings.Contains(transcript, "✓ "+title+" · ") {
			t.Errorf("no ✓ line for %s", title)
		}
	}
	want := "httpsify apply --domain www.example.test --upstream unix:/srv/app/app.sock --email me@example.org --agree-tos --nginx-conf /etc/nginx-fixture/nginx.conf --nginx-bin /usr/sbin/nginx --state-dir /var/lib/httpsify-fixture --yes"
	if got := st.Settings.ApplyCommand(); got != want {
		t.Fatalf("apply line\n got %s\nwant %s", got, want)
	}
}
