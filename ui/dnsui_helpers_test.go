package ui

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
)

// component is what the DNS-01 components share with a step.
type component interface {
	Init() tea.Cmd
	Update(tea.Msg) tea.Cmd
	View(w, h int) string
}

// harness runs a component as a program, the way a step hosts it: size
// from the terminal, every message it emits kept, and the program ended
// by the first message stop accepts.
type harness struct {
	c      component
	w, h   int
	got    []tea.Msg
	stop   func(tea.Msg) bool
	others []tea.Msg
}

func (m *harness) Init() tea.Cmd { return m.c.Init() }

func (m *harness) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		return m, m.c.Update(SizeMsg{Width: msg.Width, Height: msg.Height})
	case ProviderPickedMsg, ProviderBackMsg, CredentialsMsg, CredentialsBackMsg, TXTCreatedMsg, TXTBackMsg:
		m.got = append(m.got, msg)
		if m.stop != nil && m.stop(msg) {
			return m, tea.Quit
		}
		return m, nil
	}
	return m, m.c.Update(msg)
}

func (m *harness) View() string { return m.c.View(m.w, m.h) }

var goldenSizes = []struct{ w, h int }{{80, 24}, {120, 40}, {60, 20}}

func sizeName(w, h int) string { return fmt.Sprintf("%dx%d", w, h) }

// goldenView compares the plain text of a view with testdata/<test>.golden
// (go test ./ui -update writes them).
func goldenView(t *testing.T, view string) {
	t.Helper()
	teatest.RequireEqualOutput(t, []byte(ansi.Strip(view)+"\n"))
}

// keys sends each key in turn to c, running returned commands that
// produce messages the component itself handles (one level).
func press(c component, msgs ...tea.Msg) []tea.Msg {
	var out []tea.Msg
	for _, m := range msgs {
		if cmd := c.Update(m); cmd != nil {
			if r := runQuick(cmd); r != nil {
				out = append(out, r)
			}
		}
	}
	return out
}

// runQuick runs a command that answers at once (not a tick).
func runQuick(cmd tea.Cmd) tea.Msg {
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case m := <-ch:
		return m
	case <-time.After(10 * time.Millisecond):
		return nil
	}
}

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func typed(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, runes(string(r)))
	}
	return out
}

var (
	keyUp    = tea.KeyMsg{Type: tea.KeyUp}
	keyDown  = tea.KeyMsg{Type: tea.KeyDown}
	keyEsc   = tea.KeyMsg{Type: tea.KeyEsc}
	keyEnter = tea.KeyMsg{Type: tea.KeyEnter}
	keyTab   = tea.KeyMsg{Type: tea.KeyTab}
	keyLeft  = tea.KeyMsg{Type: tea.KeyLeft}
	keyRight = tea.KeyMsg{Type: tea.KeyRight}
)
