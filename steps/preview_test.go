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

// Panning sideways moves the text and keeps the + markers; a line cut at
// either edge shows "…" there.
func TestPreviewPanKeepsMarkers(t *testing.T) {
	st, _ := newState(t)
	answered(t, st, true)
	tm := start(t, st, StepPreview, 80, 24)
	waitFor(t, tm, "HSTS off")
	tm.Send(press("right"))
	tm.Send(press("right"))
	waitFor(t, tm, "+ …")
	_, v := finalView(t, tm, 80, 24)
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "ssl_ciphers") || strings.Contains(l, "AES128-GCM") {
			if !strings.HasPrefix(l, "+ …") || !strings.HasSuffix(l, "…") {
				t.Errorf("a panned, cut line lost its marker or its …: %q", l)
			}
		}
	}
}

// A toggle scrolls to the line it changes; TLS 1.3 only warns about the
// clients it shuts out.
func TestPreviewToggleScrollsToItsLine(t *testing.T) {
	st, _ := newState(t)
	answered(t, st, true)
	tm := start(t, st, StepPreview, 80, 24)
	waitFor(t, tm, "HSTS off")
	tm.Send(press("u"))
	waitFor(t, tm, "upload limit 10m")
	_, v := finalView(t, tm, 80, 24)
	if !strings.Contains(v, "client_max_body_size 10m;") {
		t.Fatalf("the changed line is not on screen:\n%s", v)
	}

	st, _ = newState(t)
	answered(t, st, true)
	tm = start(t, st, StepPreview, 80, 24)
	waitFor(t, tm, "HSTS off")
	tm.Send(press("t"))
	waitFor(t, tm, "older WeChat")
	_, v = finalView(t, tm, 80, 24)
	if !strings.Contains(v, "ssl_protocols TLSv1.3;") {
		t.Fatalf("the changed line is not on screen:\n%s", v)
	}
}
