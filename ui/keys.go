package ui

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/httpsify/httpsify/assets/i18n"
)

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
	Lang                        key.Binding // the language switch (issue 13)
	// The sites screen (issue 10): what to do with a managed site.
	CheckNow, RenewNow, Change, Remove, AddSite key.Binding
}

// Keys is the wizard's keymap.
var Keys = KeyMap{
	Next:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", i18n.N("continue"))),
	Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", i18n.N("back"))),
	Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", i18n.N("help"))),
	Quit:      key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", i18n.N("quit"))),
	Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", i18n.N("move"))),
	Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", i18n.N("down"))),
	Left:      key.NewBinding(key.WithKeys("left"), key.WithHelp("←/→", i18n.N("pan"))),
	Right:     key.NewBinding(key.WithKeys("right"), key.WithHelp("→", i18n.N("right"))),
	PageUp:    key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/pgdn", i18n.N("page"))),
	PageDown:  key.NewBinding(key.WithKeys("pgdown", " ", "f"), key.WithHelp("pgdn", i18n.N("page down"))),
	NextField: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", i18n.N("next field"))),
	PrevField: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", i18n.N("previous field"))),
	Yes:       key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", i18n.N("yes"))),
	No:        key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n", i18n.N("no"))),
	Retry:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", i18n.N("try again"))),
	HSTS:      key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "HSTS")),
	HTTP2:     key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "HTTP/2")),
	Body:      key.NewBinding(key.WithKeys("u"), key.WithHelp("u", i18n.N("upload size"))),
	Profile:   key.NewBinding(key.WithKeys("t"), key.WithHelp("t", i18n.N("TLS profile"))),
	DiffView:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", i18n.N("diff/full"))),
	NextFile:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", i18n.N("next file"))),
	Details:   key.NewBinding(key.WithKeys("l"), key.WithHelp("l", i18n.N("CA log"))),
	CheckNow:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", i18n.N("check now"))),
	RenewNow:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", i18n.N("renew now"))),
	Change:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", i18n.N("change"))),
	Remove:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", i18n.N("remove"))),
	AddSite:   key.NewBinding(key.WithKeys("a"), key.WithHelp("a", i18n.N("add a site"))),
	Lang:      key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", i18n.N("中文/English"))),
}
