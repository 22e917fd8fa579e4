package steps

import (
	"strings"
	"testing"
)

func TestPreviewView(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			st, _ := newState(t)
			answered(t, st, true)
			tm := start(t, st, StepPreview, sz.w, sz.h)
			waitFor(t, tm, "HSTS off")
			_, v := finalView(t, tm, sz.w, sz.h)
			golden(t, v)
		})
	}
}

func TestPreviewDiffAndFiles(t *testing.T) {
	st, _ := newState(t)
	answered(t, st, true)
	tm := start(t, st, StepPreview, 80, 24)
	waitFor(t, tm, "HSTS off")
	tm.Send(press("tab")) // nginx.conf
	tm.Send(press("d"))
	waitFor(t, tm, "@@")
	_, v := finalView(t, tm, 80, 24)
	golden(t, v)
}

// Each toggle rebuilds the plan at once, as the matching apply flag would.
func TestPreviewToggles(t *testing.T) {
	st, _ := newState(t)
	answered(t, st, true)
	tm := start(t, st, StepPreview, 120, 40)
	waitFor(t, tm, "HSTS off")
	for _, k := range []string{"h", "2", "u", "u", "t"} {
		tm.Send(press(k))
	}
	waitFor(t, tm, "TLS 1.3 only")
	_, v := finalView(t, tm, 120, 40)
	s := st.Settings
	if !s.HSTS || s.HTTP2 || s.BodySize != "20m" || s.TLSProfile != "modern" {
		t.Fatalf("settings not updated: %+v", s)
	}
	site := ""
	for _, f := range st.Plan.Files {
		if strings.HasPrefix(f.Why, "the HTTPS site") {
			site = string(f.Content)
		}
	}
	for _, want := range []string{"Strict-Transport-Security", "listen 443 ssl;", "client_max_body_size 20m;", "ssl_protocols TLSv1.3;"} {
		if !strings.Contains(site, want) {
			t.Errorf("plan lacks %q", want)
		}
	}
	for _, want := range []string{"HSTS on", "HTTP/2 off", "upload limit 20m", "Strict-Transport-Security"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	golden(t, v)
}

func TestPreviewScrollsAndGoesBack(t *testing.T) {
	st, _ := newState(t)
	answered(t, st, true)
	tm := start(t, st, StepPreview, 80, 24)
	waitFor(t, tm, "HSTS off")
	for range 3 {
		tm.Send(press("down"))
	}
	waitFor(t, tm, "lines 4-")
	tm.Send(press("esc"))
	waitFor(t, tm, "Step 5 of 9")
	sh, _ := finalView(t, tm, 80, 24)
	if sh.Current() != StepLocation {
		t.Fatalf("at step %d", sh.Current())
	}
}
