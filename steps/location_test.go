package steps

import (
	"strings"
	"testing"
)

func TestLocationView(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			st, _ := newState(t)
			answered(t, st, true)
			tm := start(t, st, StepLocation, sz.w, sz.h)
			waitFor(t, tm, "chain.pem")
			_, v := finalView(t, tm, sz.w, sz.h)
			golden(t, v)
		})
	}
}

// Another directory rebuilds the settings and the plan: the site file
// then names the new paths, as apply --cert-dir would.
func TestLocationChangeRebuildsPlan(t *testing.T) {
	st, _ := newState(t)
	answered(t, st, true)
	tm := start(t, st, StepLocation, 80, 24)
	waitFor(t, tm, "chain.pem")
	for range len(st.Settings.CertDir) {
		tm.Send(press("backspace"))
	}
	tm.Type("/etc/ssl/httpsify/www")
	tm.Send(press("enter"))
	waitFor(t, tm, "Step 6 of 9")
	finalView(t, tm, 80, 24)
	if st.Settings.CertDir != "/etc/ssl/httpsify/www" || !st.Settings.CertDirGiven {
		t.Fatalf("cert dir %q given %v", st.Settings.CertDir, st.Settings.CertDirGiven)
	}
	found := false
	for _, f := range st.Plan.Files {
		found = found || strings.Contains(string(f.Content), "ssl_certificate     /etc/ssl/httpsify/www/fullchain.pem;")
	}
	if !found {
		t.Fatal("the plan does not use the new directory")
	}
}

// Esc is not offered here: going back would ask the CA again.
func TestLocationNoWayBack(t *testing.T) {
	st, _ := newState(t)
	answered(t, st, true)
	tm := start(t, st, StepLocation, 80, 24)
	waitFor(t, tm, "chain.pem")
	tm.Send(press("esc"))
	sh, v := finalView(t, tm, 80, 24)
	if sh.Current() != StepLocation || strings.Contains(v, "esc") {
		t.Fatalf("at step %d:\n%s", sh.Current(), v)
	}
}
