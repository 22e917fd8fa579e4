package ui

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/httpsify/httpsify/assets/i18n"
)

// DNSKeyMap holds the bindings only the DNS-01 components use. They are
// control keys because a text field has focus in the provider picker and
// the credentials form, where every letter is typed.
type DNSKeyMap struct {
	Reveal, MoreOptions, CheckCreds key.Binding
}

// DNSKeys is the DNS-01 components' keymap; everything else is in Keys.
var DNSKeys = DNSKeyMap{
	Reveal:      key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", i18n.N("reveal/hide"))),
	MoreOptions: key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", i18n.N("more options"))),
	CheckCreds:  key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", i18n.N("check credentials"))),
}
