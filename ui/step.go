package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Step is one screen of the wizard. Steps are pointers that change in
// place; View must be a pure function of the step's state and the size.
type Step interface {
	Title() string
	// Enter runs each time the step becomes the active one, going
	// forward or back: it rebuilds transient state (forms, spinners).
	Enter() tea.Cmd
	Update(msg tea.Msg) tea.Cmd
	View(width, height int) string
	// Keys are the bindings shown in the footer right now.
	Keys() []key.Binding
}

// Busy is implemented by steps that run engine work. A non-empty answer
// is the question Ctrl+C asks instead of quitting at once; on yes the
// step gets InterruptMsg and ends the work safely before quitting.
type Busy interface{ Busy() string }

// Typing is implemented by steps with text inputs: while a text field has
// focus, "?" is a character, not a request for help.
type Typing interface{ Typing() bool }

// Helper adds a step's own explanation to the help screen.
type Helper interface{ Help() string }

// FullKeys lists every key of a step on the help screen when the footer
// has room for only the main ones.
type FullKeys interface{ FullKeys() []key.Binding }

// NextMsg: the step is finished; Summary becomes its ✓ line.
type NextMsg struct{ Summary string }

// BackMsg goes back Steps steps (1 when zero).
type BackMsg struct{ Steps int }

// QuitMsg ends the wizard; Farewell is printed after the screen is gone.
type QuitMsg struct {
	Code     int
	Farewell string
}

// SizeMsg tells the active step the size of its body area.
type SizeMsg struct{ Width, Height int }

// InterruptMsg asks a busy step to stop as soon as it safely can and then
// quit: the user confirmed Ctrl+C, or a signal arrived.
type InterruptMsg struct{}

// SignalMsg is sent by the command on SIGINT, SIGTERM or SIGHUP (a
// dropped SSH session): quit now if idle, else finish safely first.
type SignalMsg struct{}

// Next returns the command that finishes the active step.
func Next(summary string) tea.Cmd { return func() tea.Msg { return NextMsg{Summary: summary} } }

// Back returns the command that goes back n steps.
func Back(n int) tea.Cmd { return func() tea.Msg { return BackMsg{Steps: n} } }

// Quit returns the command that ends the wizard.
func Quit(code int, farewell string) tea.Cmd {
	return func() tea.Msg { return QuitMsg{Code: code, Farewell: farewell} }
}
