package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/provision/termtext"
)

// Default size until the terminal reports one: the wizard is designed
// for the smallest common terminal.
const (
	DefaultWidth  = 80
	DefaultHeight = 24
)

// chrome is the header line, a blank, a blank and the footer line.
const chrome = 4

// ExitInterrupted is the exit code after Ctrl+C, as shells report SIGINT.
const ExitInterrupted = 130

// Shell runs the steps in order. It owns the terminal size, the help
// screen and the Ctrl+C question; only the active step sees other input.
type Shell struct {
	theme Theme
	keys  KeyMap
	steps []Step
	cur   int

	width, height int
	help          bool
	asking        string // the Ctrl+C question on screen, if any
	quitting      bool

	// Note closes every help screen (what is safe to do, in general).
	Note string

	// Code and Farewell are the outcome, read after the program ends.
	Code     int
	Farewell string
}

// NewShell returns a shell that starts at the first step.
func NewShell(theme Theme, keys KeyMap, steps ...Step) *Shell {
	return &Shell{theme: theme, keys: keys, steps: steps}
}

// StartAt makes the shell begin at step i (tests, and resuming).
func (s *Shell) StartAt(i int) *Shell {
	s.cur = i
	return s
}

// Current is the index of the active step.
func (s *Shell) Current() int { return s.cur }

// Step returns the active step.
func (s *Shell) Step() Step { return s.steps[s.cur] }

// Init enters the first step.
func (s *Shell) Init() tea.Cmd { return s.enter() }

func (s *Shell) enter() tea.Cmd {
	s.help, s.asking = false, ""
	w, h := s.bodySize()
	st := s.steps[s.cur]
	return tea.Batch(st.Enter(), st.Update(SizeMsg{Width: w, Height: h}))
}

func (s *Shell) size() (int, int) {
	w, h := s.width, s.height
	if w <= 0 {
		w = DefaultWidth
	}
	if h <= 0 {
		h = DefaultHeight
	}
	return w, h
}

func (s *Shell) bodySize() (int, int) {
	w, h := s.size()
	return w, max(h-chrome, 3)
}

// Update routes messages: global keys here, the rest to the active step.
func (s *Shell) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if s.quitting {
		return s, nil
	}
	st := s.steps[s.cur]
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		s.width, s.height = msg.Width, msg.Height
		w, h := s.bodySize()
		return s, st.Update(SizeMsg{Width: w, Height: h})
	case tea.KeyMsg:
		return s, s.key(st, msg)
	case SignalMsg:
		if q := busy(st); q != "" {
			s.asking = ""
			return s, st.Update(InterruptMsg{})
		}
		return s, s.quit(ExitInterrupted, "")
	case NextMsg:
		line := s.theme.OK.Render(MarkOK) + " " + s.theme.Bold.Render(st.Title())
		if msg.Summary != "" {
			line += s.theme.Muted.Render(" · ") + msg.Summary
		}
		w, _ := s.size()
		print := tea.Println(termtext.Styled(Fit(line, w, 1)))
		if s.cur == len(s.steps)-1 {
			return s, tea.Sequence(print, s.quit(0, ""))
		}
		s.cur++
		return s, tea.Sequence(print, s.enter())
	case BackMsg:
		n := max(msg.Steps, 1)
		s.cur = max(s.cur-n, 0)
		return s, s.enter()
	case QuitMsg:
		return s, s.quit(msg.Code, msg.Farewell)
	}
	return s, st.Update(msg)
}

func (s *Shell) key(st Step, msg tea.KeyMsg) tea.Cmd {
	switch {
	case s.asking != "":
		switch {
		case key.Matches(msg, s.keys.Yes, s.keys.Quit):
			s.asking = ""
			return st.Update(InterruptMsg{})
		case key.Matches(msg, s.keys.No, s.keys.Back, s.keys.Next):
			s.asking = ""
		}
		return nil
	case key.Matches(msg, s.keys.Quit):
		if q := busy(st); q != "" {
			s.asking = q
			return nil
		}
		return s.quit(ExitInterrupted, "")
	case s.help:
		if key.Matches(msg, s.keys.Help, s.keys.Back, s.keys.Next) {
			s.help = false
		}
		return nil
	case key.Matches(msg, s.keys.Help) && !typing(st):
		s.help = true
		return nil
	}
	return st.Update(msg)
}

func (s *Shell) quit(code int, farewell string) tea.Cmd {
	s.quitting, s.Code, s.Farewell = true, code, farewell
	return tea.Quit
}

func busy(st Step) string {
	if b, ok := st.(Busy); ok {
		return b.Busy()
	}
	return ""
}

func typing(st Step) bool {
	t, ok := st.(Typing)
	return ok && t.Typing()
}

// View draws the header, the active step (or help) and the footer. Once
// quitting it is empty, so only the ✓ transcript stays on screen.
func (s *Shell) View() string {
	if s.quitting {
		return ""
	}
	w, _ := s.size()
	bw, bh := s.bodySize()
	st := s.steps[s.cur]
	var body string
	if s.help {
		body = s.helpView(st, bw)
	} else {
		body = st.View(bw, bh)
	}
	// Final pass: outside text is cleaned where it enters, and whatever
	// slipped through still cannot drive the terminal (SGR styling kept).
	return termtext.Styled(s.header(st, w) + "\n\n" + Fit(body, bw, bh) + "\n\n" + s.footer(st, w))
}

func (s *Shell) header(st Step, w int) string {
	var dots strings.Builder
	for i := range s.steps {
		switch {
		case i < s.cur:
			dots.WriteString(s.theme.StepOn.Render("●"))
		case i == s.cur:
			dots.WriteString(s.theme.StepOn.Render("◉"))
		default:
			dots.WriteString(s.theme.StepOff.Render("○"))
		}
	}
	title := fmt.Sprintf("Step %d of %d · %s", s.cur+1, len(s.steps), st.Title())
	return Fit(s.theme.Brand.Render("httpsify")+"  "+dots.String()+"  "+s.theme.Header.Render(title), w, 1)
}

func (s *Shell) footer(st Step, w int) string {
	if s.asking != "" {
		return Fit(s.theme.Warn.Render(s.asking)+"  "+s.theme.Key.Render("y/N"), w, 1)
	}
	if s.help {
		return s.shortHelp([]key.Binding{withHelp(s.keys.Help, "?/esc", "close help")}, w)
	}
	keys := append(append([]key.Binding(nil), st.Keys()...), s.keys.Help, s.keys.Quit)
	return s.shortHelp(keys, w)
}

func (s *Shell) shortHelp(keys []key.Binding, w int) string {
	h := help.New()
	h.Width = w
	h.ShortSeparator = " · "
	h.Ellipsis = "…"
	h.Styles.ShortKey = s.theme.Key
	h.Styles.ShortDesc = s.theme.KeyDesc
	h.Styles.ShortSeparator = s.theme.Muted
	h.Styles.Ellipsis = s.theme.Muted
	return h.ShortHelpView(keys)
}

func (s *Shell) helpView(st Step, w int) string {
	var b strings.Builder
	b.WriteString(s.theme.Title.Render("Help: "+st.Title()) + "\n\n")
	if hp, ok := st.(Helper); ok {
		b.WriteString(Hang("", hp.Help(), w) + "\n\n")
	}
	b.WriteString(s.theme.Bold.Render("Keys") + "\n")
	keys := st.Keys()
	if fk, ok := st.(FullKeys); ok {
		keys = fk.FullKeys()
	}
	for _, k := range append(append([]key.Binding(nil), keys...), s.keys.Quit) {
		if !k.Enabled() {
			continue
		}
		b.WriteString(fmt.Sprintf("  %-10s %s\n", k.Help().Key, k.Help().Desc))
	}
	if s.Note != "" {
		b.WriteString("\n" + Hang("", s.Note, w))
	}
	return strings.TrimRight(b.String(), "\n")
}

func withHelp(b key.Binding, k, desc string) key.Binding {
	b.SetHelp(k, desc)
	return b
}
