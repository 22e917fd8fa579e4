package ui

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// testStep records what the shell gives it.
type testStep struct {
	title   string
	busy    string
	entered int
	size    SizeMsg
}

func (s *testStep) Title() string  { return s.title }
func (s *testStep) Enter() tea.Cmd { s.entered++; return nil }
func (s *testStep) Busy() string   { return s.busy }
func (s *testStep) Help() string   { return "What " + s.title + " is for." }
func (s *testStep) Keys() []key.Binding {
	return []key.Binding{Keys.Next, Keys.Back}
}

func (s *testStep) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case SizeMsg:
		s.size = msg
	case InterruptMsg:
		return Quit(ExitInterrupted, "stopped safely")
	case tea.KeyMsg:
		switch msg.String() {
		case "enter":
			return Next("did " + s.title)
		case "esc":
			return Back(1)
		}
	}
	return nil
}

func (s *testStep) View(w, h int) string {
	return fmt.Sprintf("%s body %dx%d", s.title, w, h)
}

func threeSteps() []*testStep {
	return []*testStep{{title: "One"}, {title: "Two"}, {title: "Three"}}
}

func shellOf(steps []*testStep) *Shell {
	var ss []Step
	for _, s := range steps {
		ss = append(ss, s)
	}
	return NewShell(NewTheme(false), Keys, ss...)
}

func waitFor(t *testing.T, tm *teatest.TestModel, s string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains([]byte(ansi.Strip(string(b))), []byte(s))
	}, teatest.WithDuration(3*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

func final(t *testing.T, tm *teatest.TestModel) *Shell {
	t.Helper()
	return tm.FinalModel(t, teatest.WithFinalTimeout(3*time.Second)).(*Shell)
}

func TestShellFrame(t *testing.T) {
	for _, sz := range []struct {
		name string
		w, h int
	}{{"80x24", 80, 24}, {"120x40", 120, 40}} {
		t.Run(sz.name, func(t *testing.T) {
			tm := teatest.NewTestModel(t, shellOf(threeSteps()), teatest.WithInitialTermSize(sz.w, sz.h))
			waitFor(t, tm, "One body")
			tm.Quit()
			teatest.RequireEqualOutput(t, []byte(ansi.Strip(final(t, tm).View())+"\n"))
		})
	}
}

// Enter moves on and leaves a ✓ line; Esc goes back and enters the step
// again; the last step's Enter ends with code 0.
func TestShellNextBack(t *testing.T) {
	steps := threeSteps()
	tm := teatest.NewTestModel(t, shellOf(steps), teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "One body")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "✓ One · did One")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm, "Step 1 of 3")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "Step 3 of 3")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	sh := final(t, tm)
	if sh.Code != 0 || steps[0].entered != 2 || steps[1].entered != 2 || steps[2].entered != 1 {
		t.Fatalf("code %d, entered %d %d %d", sh.Code, steps[0].entered, steps[1].entered, steps[2].entered)
	}
	if sh.View() != "" {
		t.Fatal("the view is not cleared on exit")
	}
}

// Ctrl+C quits at once when nothing runs.
func TestShellAbortWhenIdle(t *testing.T) {
	tm := teatest.NewTestModel(t, shellOf(threeSteps()), teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "One body")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	if sh := final(t, tm); sh.Code != ExitInterrupted {
		t.Fatalf("code %d", sh.Code)
	}
}

// During work Ctrl+C asks; n keeps going; y hands the step an
// InterruptMsg, and the step decides when to quit.
func TestShellAbortWhenBusyAsks(t *testing.T) {
	steps := threeSteps()
	steps[0].busy = "Stop the work?"
	tm := teatest.NewTestModel(t, shellOf(steps), teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "One body")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	waitFor(t, tm, "Stop the work?  y/N")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("n")})
	waitFor(t, tm, "enter continue")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	waitFor(t, tm, "Stop the work?")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")})
	sh := final(t, tm)
	if sh.Code != ExitInterrupted || sh.Farewell != "stopped safely" {
		t.Fatalf("code %d farewell %q", sh.Code, sh.Farewell)
	}
}

// A signal (SIGHUP from a dropped SSH session) never skips the step's
// safe stop.
func TestShellSignalWhenBusy(t *testing.T) {
	steps := threeSteps()
	steps[0].busy = "Stop?"
	tm := teatest.NewTestModel(t, shellOf(steps), teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "One body")
	tm.Send(SignalMsg{})
	if sh := final(t, tm); sh.Farewell != "stopped safely" {
		t.Fatalf("farewell %q", sh.Farewell)
	}
}

// A resize reaches the active step as its body size, and the view fits.
func TestShellResize(t *testing.T) {
	steps := threeSteps()
	tm := teatest.NewTestModel(t, shellOf(steps), teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "One body 80x20")
	tm.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
	waitFor(t, tm, "One body 120x36")
	tm.Send(tea.WindowSizeMsg{Width: 50, Height: 10})
	waitFor(t, tm, "One body 50x6")
	tm.Quit()
	sh := final(t, tm)
	if steps[0].size != (SizeMsg{Width: 50, Height: 6}) {
		t.Fatalf("step size %+v", steps[0].size)
	}
	for _, l := range strings.Split(ansi.Strip(sh.View()), "\n") {
		if ansi.StringWidth(l) > 50 {
			t.Fatalf("line wider than the terminal: %q", l)
		}
	}
}

// ? shows the help for the step; ? again closes it.
func TestShellHelp(t *testing.T) {
	tm := teatest.NewTestModel(t, shellOf(threeSteps()), teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "One body")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("?")})
	waitFor(t, tm, "What One is for.")
	tm.Quit()
	teatest.RequireEqualOutput(t, []byte(ansi.Strip(final(t, tm).View())+"\n"))
}

// manyKeys is a step whose own keys fill more than a narrow footer.
type manyKeys struct{ testStep }

func (s *manyKeys) Keys() []key.Binding {
	return []key.Binding{Keys.Next, Keys.Back, Keys.Up, Keys.Left, Keys.PageUp, Keys.DiffView, Keys.HSTS, Keys.HTTP2}
}

// At 60 columns the footer drops the step's own keys from the end, never
// help and quit.
func TestFooterKeepsHelpAndQuitWhenNarrow(t *testing.T) {
	sh := NewShell(NewTheme(false), Keys, &manyKeys{testStep{title: "One"}})
	sh.Update(tea.WindowSizeMsg{Width: 60, Height: 20})
	lines := strings.Split(ansi.Strip(sh.View()), "\n")
	footer := lines[len(lines)-1]
	if !strings.Contains(footer, "? help") || !strings.Contains(footer, "ctrl+c quit") || ansi.StringWidth(footer) > 60 {
		t.Fatalf("footer at 60 columns: %q", footer)
	}
}

// q quits on a screen without text fields.
func TestQQuitsWithoutTextFields(t *testing.T) {
	sh := NewShell(NewTheme(false), Keys, &testStep{title: "One"})
	sh.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	if sh.Code != ExitInterrupted || sh.View() != "" {
		t.Fatalf("q did not quit: code %d", sh.Code)
	}
}
