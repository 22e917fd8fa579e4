package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/httpsify/httpsify/assets/i18n"
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

	done       map[int]string // the ✓ line each step printed last
	transcript []string       // every ✓ line printed, in order

	// Note closes every help screen (what is safe to do, in general).
	Note string
	// NoteFunc, when set, is Note made when shown, so it follows a
	// change of language (issue 13).
	NoteFunc func() string

	// Front is how many steps come before the numbered ones (the sites
	// screen a rerun opens on): their header is their title alone, and
	// the step numbers, StartAt and Current count from the first after.
	Front int

	// CancelNote, when set, says what a quit at step i (Ctrl+C, a
	// signal) leaves behind: printed after the screen is gone.
	CancelNote func(i int) string
	// Finished, when set, reports that the wizard's work is complete, so
	// a quit from then on exits 0.
	Finished func() bool

	// OfferLang: no locale chose the language (an SSH session that
	// forwards none), so every screen's header offers the switch, from
	// the first one on, and its key works anywhere (issue 13).
	OfferLang bool

	// Code and Farewell are the outcome, read after the program ends.
	Code     int
	Farewell string
}

// NewShell returns a shell that starts at the first step.
func NewShell(theme Theme, keys KeyMap, steps ...Step) *Shell {
	return &Shell{theme: theme, keys: keys, steps: steps}
}

// StartAt makes the shell begin at numbered step i (tests, and resuming).
func (s *Shell) StartAt(i int) *Shell {
	s.cur = i + s.Front
	return s
}

// Current is the index of the active numbered step; negative on a step
// before them (Front).
func (s *Shell) Current() int { return s.cur - s.Front }

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
		resized := s.width != 0 && (s.width != msg.Width || s.height != msg.Height)
		s.width, s.height = msg.Width, msg.Height
		w, h := s.bodySize()
		cmd := st.Update(SizeMsg{Width: w, Height: h})
		if !resized {
			return s, cmd
		}
		// The terminal reflowed the old frame, so the renderer no longer
		// knows where it starts: clear, then put the ✓ lines back above
		// a fresh frame, so no old frame stays above the new one.
		return s, tea.Sequence(tea.ClearScreen, s.reprint(), cmd)
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
		print := s.record(line)
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

// record prints a step's ✓ line above the frame, unless it is the very
// line that step printed before (going back and on again).
func (s *Shell) record(line string) tea.Cmd {
	if s.done == nil {
		s.done = map[int]string{}
	}
	if s.done[s.cur] == line {
		return nil
	}
	s.done[s.cur] = line
	s.transcript = append(s.transcript, line)
	w, _ := s.size()
	return tea.Println(termtext.Styled(Fit(line, w, 1)))
}

// reprint prints the ✓ lines again, fitted to the new width.
func (s *Shell) reprint() tea.Cmd {
	if len(s.transcript) == 0 {
		return nil
	}
	w, _ := s.size()
	lines := make([]string, len(s.transcript))
	for i, l := range s.transcript {
		lines[i] = Fit(l, w, 1)
	}
	return tea.Println(termtext.Styled(strings.Join(lines, "\n")))
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
	case s.OfferLang && key.Matches(msg, s.keys.Lang):
		// A control key, so it is never a typed letter.
		if i18n.Current() == i18n.Zh {
			i18n.Set(i18n.En)
		} else {
			i18n.Set(i18n.Zh)
		}
		return nil
	case key.Matches(msg, s.keys.Quit) || msg.String() == "q" && !hasText(st) && !s.help:
		// q too, on screens where it can never be a typed letter.
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
	if farewell == "" && code == ExitInterrupted && s.CancelNote != nil {
		farewell = s.CancelNote(s.Current())
		if s.Finished != nil && s.Finished() {
			code = 0 // the work was done: leaving early is no failure
		}
	}
	s.quitting, s.Code, s.Farewell = true, code, farewell
	return tea.Quit
}

func busy(st Step) string {
	if b, ok := st.(Busy); ok {
		return b.Busy()
	}
	return ""
}

// hasText: the step has text fields (it reports Typing), so q may be
// meant as a letter there.
func hasText(st Step) bool {
	_, ok := st.(Typing)
	return ok
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
	if s.cur < s.Front {
		return Fit(s.theme.Brand.Render("httpsify")+"  "+s.theme.Header.Render(st.Title())+s.langOffer(), w, 1)
	}
	var dots strings.Builder
	for i := s.Front; i < len(s.steps); i++ {
		switch {
		case i < s.cur:
			dots.WriteString(s.theme.StepOn.Render("●"))
		case i == s.cur:
			dots.WriteString(s.theme.StepOn.Render("◉"))
		default:
			dots.WriteString(s.theme.StepOff.Render("○"))
		}
	}
	title := i18n.T("Step %d of %d · %s", s.Current()+1, len(s.steps)-s.Front, st.Title())
	return Fit(s.theme.Brand.Render("httpsify")+"  "+dots.String()+"  "+s.theme.Header.Render(title)+s.langOffer(), w, 1)
}

// langOffer is the header's offer of the other language when no locale
// chose one: in that language, so it reads to whoever needs it.
func (s *Shell) langOffer() string {
	if !s.OfferLang {
		return ""
	}
	other := "中文"
	if i18n.Current() == i18n.Zh {
		other = "English"
	}
	return "  " + s.theme.Key.Render(s.keys.Lang.Help().Key) + " " + s.theme.KeyDesc.Render(other)
}

func (s *Shell) footer(st Step, w int) string {
	if s.asking != "" {
		return Fit(s.theme.Warn.Render(s.asking)+"  "+s.theme.Key.Render("y/N"), w, 1)
	}
	if s.help {
		return s.shortHelp([]key.Binding{withHelp(s.keys.Help, "?/esc", i18n.T("close help"))}, w)
	}
	// Help and quit are always shown: the step's own keys give way
	// from the end when the line is too narrow for all of them.
	own := st.Keys()
	tail := []key.Binding{s.keys.Quit}
	if !typing(st) {
		tail = []key.Binding{s.keys.Help, s.keys.Quit}
	}
	for n := len(own); n >= 0; n-- {
		line := s.shortHelp(append(append([]key.Binding(nil), own[:n]...), tail...), 0)
		if lipgloss.Width(line) <= w || n == 0 {
			return Fit(line, w, 1)
		}
	}
	return ""
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
	return h.ShortHelpView(Localized(keys))
}

// Localized returns copies of the bindings with their help text in the
// user's language: the keymap marks the texts, they are shown here.
func Localized(keys []key.Binding) []key.Binding {
	out := make([]key.Binding, len(keys))
	for i, k := range keys {
		out[i] = k
		out[i].SetHelp(k.Help().Key, i18n.Tr(k.Help().Desc))
	}
	return out
}

func (s *Shell) helpView(st Step, w int) string {
	var b strings.Builder
	b.WriteString(s.theme.Title.Render(i18n.T("Help: %s", st.Title())) + "\n\n")
	if hp, ok := st.(Helper); ok {
		b.WriteString(Hang("", hp.Help(), w) + "\n\n")
	}
	b.WriteString(s.theme.Bold.Render(i18n.T("Keys")) + "\n")
	keys := st.Keys()
	if fk, ok := st.(FullKeys); ok {
		keys = fk.FullKeys()
	}
	keys = append(append([]key.Binding(nil), keys...), s.keys.Quit)
	if s.OfferLang {
		keys = append(keys, s.keys.Lang)
	}
	for _, k := range Localized(keys) {
		if !k.Enabled() {
			continue
		}
		b.WriteString(fmt.Sprintf("  %-10s %s\n", k.Help().Key, k.Help().Desc))
	}
	note := i18n.Tr(s.Note)
	if s.NoteFunc != nil {
		note = s.NoteFunc()
	}
	if note != "" {
		b.WriteString("\n" + Hang("", note, w))
	}
	return strings.TrimRight(b.String(), "\n")
}

func withHelp(b key.Binding, k, desc string) key.Binding {
	b.SetHelp(k, desc)
	return b
}
