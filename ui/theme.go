// Package ui is the wizard's shell: the step frame, theme, keymap, form
// fields, diff and syntax highlighting. It knows nothing of the engine;
// the steps in package steps do.
package ui

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Marks used in every view and in the scrollback transcript.
const (
	MarkOK   = "✓"
	MarkWarn = "!"
	MarkFail = "✗"
	MarkTodo = "•"
	MarkMore = "…" // a line goes on beyond the edge shown
)

// Theme holds every style the views use, so colour is decided in one
// place (and turned off in one place).
type Theme struct {
	Color bool

	Brand, Header, StepOn, StepOff lipgloss.Style
	Title, Bold, Muted, Faint      lipgloss.Style
	OK, Warn, Fail, Accent         lipgloss.Style
	Cursor, Selected, Disabled     lipgloss.Style
	Key, KeyDesc, Code             lipgloss.Style
	Added, Removed, Hunk           lipgloss.Style

	Syntax SyntaxStyles
}

// SyntaxStyles colour the nginx config preview.
type SyntaxStyles struct {
	Directive, Variable, String, Number, Comment, Punct lipgloss.Style
}

// SetupTerminal fixes the colour profile and the background before the
// program starts: asking the terminal for its background later would let
// the reply leak into a text input.
func SetupTerminal(color bool) {
	if !color {
		lipgloss.SetColorProfile(termenv.Ascii)
		lipgloss.SetHasDarkBackground(true)
		return
	}
	lipgloss.SetHasDarkBackground(lipgloss.HasDarkBackground())
}

// NewTheme returns the styles; with color false only bold and faint
// remain, which every terminal shows legibly.
func NewTheme(color bool) Theme {
	c := func(light, dark string) lipgloss.TerminalColor {
		if !color {
			return lipgloss.NoColor{}
		}
		return lipgloss.AdaptiveColor{Light: light, Dark: dark}
	}
	fg := func(light, dark string) lipgloss.Style { return lipgloss.NewStyle().Foreground(c(light, dark)) }
	green, yellow, red := c("#1a7f37", "#3fb950"), c("#9a6700", "#d29922"), c("#cf222e", "#f85149")
	accent, muted := c("#0550ae", "#79c0ff"), c("#57606a", "#8b949e")
	t := Theme{
		Color:    color,
		Brand:    lipgloss.NewStyle().Bold(true).Foreground(accent),
		Header:   lipgloss.NewStyle().Bold(true),
		StepOn:   lipgloss.NewStyle().Foreground(accent),
		StepOff:  lipgloss.NewStyle().Foreground(muted),
		Title:    lipgloss.NewStyle().Bold(true),
		Bold:     lipgloss.NewStyle().Bold(true),
		Muted:    lipgloss.NewStyle().Foreground(muted),
		Faint:    lipgloss.NewStyle().Faint(true),
		OK:       lipgloss.NewStyle().Foreground(green),
		Warn:     lipgloss.NewStyle().Foreground(yellow),
		Fail:     lipgloss.NewStyle().Foreground(red),
		Accent:   lipgloss.NewStyle().Foreground(accent),
		Cursor:   lipgloss.NewStyle().Bold(true).Foreground(accent),
		Selected: lipgloss.NewStyle().Bold(true),
		Disabled: lipgloss.NewStyle().Foreground(muted).Faint(true),
		Key:      lipgloss.NewStyle().Bold(true),
		KeyDesc:  lipgloss.NewStyle().Foreground(muted),
		Code:     fg("#0550ae", "#a5d6ff"),
		Added:    lipgloss.NewStyle().Foreground(green),
		Removed:  lipgloss.NewStyle().Foreground(red),
		Hunk:     lipgloss.NewStyle().Foreground(accent),
	}
	t.Syntax = SyntaxStyles{
		Directive: lipgloss.NewStyle().Foreground(accent).Bold(true),
		Variable:  fg("#8250df", "#d2a8ff"),
		String:    lipgloss.NewStyle().Foreground(green),
		Number:    fg("#953800", "#ffa657"),
		Comment:   lipgloss.NewStyle().Foreground(muted).Italic(color),
		Punct:     lipgloss.NewStyle(),
	}
	return t
}
