package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is the one keymap of the wizard. Steps pick the bindings they
// use and list them for the footer; nothing else defines keys.
type KeyMap struct {
	Next, Back, Help, Quit      key.Binding
	Up, Down, Left, Right       key.Binding
	PageUp, PageDown            key.Binding
	NextField, PrevField        key.Binding
	Yes, No, Retry              key.Binding
	HSTS, HTTP2, Body, Profile  key.Binding
	DiffView, NextFile, Details key.Binding
	// The sites screen (issue 10): what to do with a managed site.
	CheckNow, RenewNow, Change, Remove, AddSite key.Binding
}

// Keys is the wizard's keymap.
var Keys = KeyMap{
	Next:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
	Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
	Quit:      key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "move")),
	Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", "down")),
	Left:      key.NewBinding(key.WithKeys("left"), key.WithHelp("←/→", "pan")),
	Right:     key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "right")),
	PageUp:    key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/pgdn", "page")),
	PageDown:  key.NewBinding(key.WithKeys("pgdown", " ", "f"), key.WithHelp("pgdn", "page down")),
	NextField: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
	PrevField: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
	Yes:       key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
	No:        key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n", "no")),
	Retry:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again")),
	HSTS:      key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "HSTS")),
	HTTP2:     key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "HTTP/2")),
	Body:      key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "upload size")),
	Profile:   key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "TLS profile")),
	DiffView:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "diff/full")),
	NextFile:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next file")),
	Details:   key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "CA log")),
	CheckNow:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "check now")),
	RenewNow:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "renew now")),
	Change:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "change")),
	Remove:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "remove")),
	AddSite:   key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add a site")),
}
