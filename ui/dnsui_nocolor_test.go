package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// Without colour (NO_COLOR, --no-color: NewTheme(false) and the Ascii
// profile TestMain sets) the DNS-01 views hold no escape sequence at all:
// the cursor, the selection and the marks are plain characters.
func TestDNSViewsNoColorClean(t *testing.T) {
	picker := NewProviderPicker(NewTheme(false), Keys, "")
	press(picker, typed("cloud")...)
	creds := NewCredentialsForm(NewTheme(false), Keys, provider(t, "cloudflare"), map[string]string{"CF_API_EMAIL": "a@b.c"})
	press(creds, tea.KeyMsg{Type: tea.KeyCtrlO})
	txt := NewTXTPanel(NewTheme(false), Keys, wildcardRecords)
	txt.Update(keyEnter)
	txt.Update(TXTStatusMsg{Index: 0, Seen: []string{"ns1.example.net"}, Of: 2})
	for name, c := range map[string]component{"picker": picker, "credentials": creds, "txt": txt} {
		for _, sz := range goldenSizes {
			if v := c.View(sz.w, sz.h); strings.Contains(v, "\x1b") {
				t.Errorf("%s %s: escape sequence in a colourless view: %q", name, sizeName(sz.w, sz.h), v)
			}
		}
	}
}
