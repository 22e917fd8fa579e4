package steps

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/ui"
)

// heldHTTPS makes preflight find another program on the HTTPS port,
// something to read before going on, so the step waits for Enter.
func heldHTTPS(st *State) {
	pf := st.Preflight
	st.Preflight = func(s *provision.Host) *provision.Preflight {
		p := pf(s)
		p.HTTPS = provision.PortUse{Port: 443, Listening: true, Process: "caddy", PID: 900}
		return p
	}
}

func TestPreflightView(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			st, _ := newState(t)
			heldHTTPS(st)
			tm := start(t, st, StepPreflight, sz.w, sz.h)
			waitFor(t, tm, "Certificates httpsify manages")
			_, v := finalView(t, tm, sz.w, sz.h)
			golden(t, v)
		})
	}
}

// Nothing to read closely: preflight moves on by itself, its findings in
// its ✓ line; Esc on the site step shows it again.
func TestPreflightCleanMovesOn(t *testing.T) {
	st, _ := newState(t)
	tm := start(t, st, StepPreflight, 80, 24)
	waitFor(t, tm, "Step 2 of 9")
	tm.Send(press("esc"))
	waitFor(t, tm, "Certificates httpsify manages")
	sh, _ := finalView(t, tm, 80, 24)
	if sh.Current() != StepPreflight {
		t.Fatalf("at step %d, want preflight again", sh.Current())
	}
	if !strings.Contains(printed[tm].String(), "Preflight") {
		t.Error("no ✓ line for preflight")
	}
}

func TestPreflightEnterGoesToSite(t *testing.T) {
	st, _ := newState(t)
	heldHTTPS(st)
	tm := start(t, st, StepPreflight, 80, 24)
	waitFor(t, tm, "Certificates httpsify manages")
	tm.Send(press("enter"))
	waitFor(t, tm, "Step 2 of 9")
	sh, _ := finalView(t, tm, 80, 24)
	if sh.Current() != StepSite {
		t.Fatalf("at step %d, want the site step", sh.Current())
	}
}

// A configuration nginx cannot read stops the wizard with the reason and
// exit code 1; Enter quits.
func TestPreflightDetectFails(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			st, fe := newState(t)
			fe.detect, fe.detectErr = nil, errors.New("nginx cannot read its current configuration, so httpsify will not change it; fix this first:\nnginx: [emerg] unknown directive \"sever\" in /etc/nginx/sites-enabled/app:1")
			tm := start(t, st, StepPreflight, sz.w, sz.h)
			waitFor(t, tm, "Fix the problem above")
			_, v := finalView(t, tm, sz.w, sz.h)
			golden(t, v)
		})
	}
	st, fe := newState(t)
	fe.detect, fe.detectErr = nil, errors.New("nginx not found")
	tm := start(t, st, StepPreflight, 80, 24)
	waitFor(t, tm, "Fix the problem above")
	tm.Send(press("enter"))
	sh := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*ui.Shell)
	if sh.Code != 1 || !strings.Contains(sh.Farewell, "nginx not found") {
		t.Fatalf("code %d, farewell %q", sh.Code, sh.Farewell)
	}
	if v := sh.View(); v != "" {
		t.Fatalf("view after quitting = %q, want empty: only the transcript stays", v)
	}
}
