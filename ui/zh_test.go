package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/httpsify/httpsify/assets/i18n"
)

// The DNS-01 components in Chinese, as golden files at each golden size
// (80x24, 120x40 and 60x20): no line wider than the width in display
// cells, no line more than the height, and CJK text never cut inside a
// character (ansi's width functions count it as two).
func TestDNSComponentsInChinese(t *testing.T) {
	i18n.Set(i18n.Zh)
	t.Cleanup(func() { i18n.Set(i18n.En) })
	for _, sz := range goldenSizes {
		views := map[string]func() string{
			"picker": func() string {
				p := NewProviderPicker(NewTheme(false), Keys, "")
				p.Update(SizeMsg{Width: sz.w, Height: sz.h})
				return p.View(sz.w, sz.h)
			},
			"credentials": func() string {
				return NewCredentialsForm(NewTheme(false), Keys, provider(t, "alidns"), nil).View(sz.w, sz.h)
			},
			"txt": func() string {
				return NewTXTPanel(NewTheme(false), Keys, wildcardRecords).View(sz.w, sz.h)
			},
		}
		for name, view := range views {
			t.Run(name+"-"+sizeName(sz.w, sz.h), func(t *testing.T) {
				v := ansi.Strip(view())
				lines := strings.Split(v, "\n")
				if len(lines) > sz.h {
					t.Errorf("%d lines, height %d", len(lines), sz.h)
				}
				for _, l := range lines {
					if n := ansi.StringWidth(l); n > sz.w {
						t.Errorf("%d cells, width %d: %q", n, sz.w, l)
					}
					if strings.ContainsRune(l, '\uFFFD') {
						t.Errorf("a character was cut: %q", l)
					}
				}
				if !strings.ContainsFunc(v, func(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF }) {
					t.Errorf("no Chinese on screen:\n%s", v)
				}
				goldenView(t, v)
			})
		}
	}
}
