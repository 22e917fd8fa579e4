package steps

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/assets/i18n"
)

// The screen a rerun opens on, in Chinese: golden at 80x24 and 120x40,
// and at 60x20 for the width check (finalView); with no locale its header
// offers ctrl+l too.
func TestHomeViewChinese(t *testing.T) {
	for _, sz := range append(sizes, struct {
		name string
		w, h int
	}{"60x20", 60, 20}) {
		t.Run(sz.name, func(t *testing.T) {
			inChinese(t)
			st, _, _ := managedState(t)
			tm := startHome(t, st, sz.w, sz.h)
			waitFor(t, tm, "立即检查")
			tm.Send(press("down"))
			waitFor(t, tm, "证书：127.0.0.1:14000")
			_, v := finalView(t, tm, sz.w, sz.h)
			if !strings.Contains(v, "httpsify 管理的网站") {
				t.Fatalf("not in Chinese:\n%s", v)
			}
			if sz.w != 60 {
				golden(t, v)
			}
		})
	}
}

func TestHomeOffersChinese(t *testing.T) {
	t.Cleanup(func() { i18n.Set(i18n.En) })
	st, _, _ := managedState(t)
	st.OfferLang = true
	tm := startHome(t, st, 80, 24)
	waitFor(t, tm, "ctrl+l 中文")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlL})
	waitFor(t, tm, "httpsify 管理的网站  ctrl+l English")
	finalView(t, tm, 80, 24)
}
