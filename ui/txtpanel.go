package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/termtext"
)

// TXTRecord is one record the user creates by hand. Name is the full
// name (_acme-challenge.example.com); a wildcard and its apex give two
// records with one name and two values.
type TXTRecord struct{ Name, Value string }

// TXTStatusMsg is the propagation check's news for record Index: the
// authoritative servers that answer with its value, out of Of asked.
// Err, when set, is why the check could not ask (shown, cleaned).
type TXTStatusMsg struct {
	Index int
	Seen  []string
	Of    int
	Err   string
}

// TXTCreatedMsg: the user says the records exist; checking may start.
type TXTCreatedMsg struct{}

// TXTBackMsg: Esc before the records were confirmed (to pick a provider
// instead, say).
type TXTBackMsg struct{}

// ManualRenewalNote is said wherever manual records are shown.
var ManualRenewalNote = i18n.N("A certificate issued with records you create by hand cannot renew unattended: each renewal (every 60 to 90 days) needs new TXT values, created by hand again. With a DNS provider instead, renewals happen on their own.")

// TXTPanel shows the TXT records to create, each name and value on a
// line of its own so it can be copied whole (a line too wide pans
// sideways, never wraps), and each record's propagation as it is seen.
type TXTPanel struct {
	theme   Theme
	keys    KeyMap
	records []TXTRecord
	status  []TXTStatusMsg
	got     []bool // a status arrived for the record
	created bool
	xoff    int
	spin    spinner.Model
	confirm *Field // the accessible question, and the definition of Enter
}

// NewTXTPanel returns the panel for records.
func NewTXTPanel(theme Theme, keys KeyMap, records []TXTRecord) *TXTPanel {
	p := &TXTPanel{theme: theme, keys: keys, records: records,
		status: make([]TXTStatusMsg, len(records)), got: make([]bool, len(records))}
	p.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	p.confirm = NewConfirm(i18n.T("Have you created the %s?", plural(len(records), i18n.N("TXT record"), i18n.N("TXT records"))), false)
	p.confirm.Require = i18n.T("Create the records first (Ctrl+C stops here; nothing has been written).")
	p.confirm.Hint = p.plainText()
	return p
}

// plural counts things; callers mark both words with i18n.N.
func plural(n int, one, many string) string {
	if i18n.Current() == i18n.Zh {
		return fmt.Sprintf("%d %s", n, i18n.Tr(many))
	}
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Fields is the accessible question: the records as plain text, then
// "created them?", which only yes answers.
func (p *TXTPanel) Fields() []*Field { return []*Field{p.confirm} }

// plainText is the records and the explanation for line prompts.
func (p *TXTPanel) plainText() string {
	var b strings.Builder
	b.WriteString(i18n.T("Create these TXT records in your DNS provider's panel:") + "\n")
	for i, r := range p.records {
		fmt.Fprintf(&b, i18n.T("Record %d: name %s\nRecord %d: value %s\n"), i+1, termtext.Line(r.Name), i+1, termtext.Line(r.Value))
	}
	b.WriteString(i18n.Tr(ManualRenewalNote))
	return b.String()
}

// StatusLine is record i's state as a plain line, for accessible mode.
func (p *TXTPanel) StatusLine(i int) string {
	return i18n.T("Record %d (%s): %s", i+1, termtext.Line(p.records[i].Name), p.statusText(i))
}

// Created reports whether the user confirmed the records.
func (p *TXTPanel) Created() bool { return p.created || p.confirm.Yes }

// Init does nothing until the user confirms.
func (p *TXTPanel) Init() tea.Cmd { return nil }

// Keys are the bindings for the footer.
func (p *TXTPanel) Keys() []key.Binding {
	var ks []key.Binding
	if !p.created {
		ks = append(ks, withHelp(p.keys.Next, "enter", i18n.N("records created")))
	}
	if p.widest() > 0 {
		ks = append(ks, withHelp(p.keys.Left, "←/→", i18n.N("pan sideways")))
	}
	if !p.created {
		ks = append(ks, withHelp(p.keys.Back, "esc", i18n.N("pick a provider instead")))
	}
	return ks
}

// widest is how far a name or value goes beyond a line of 80 cells; the
// view decides with its own width, this is for the footer only.
func (p *TXTPanel) widest() int {
	w := 0
	for _, r := range p.records {
		w = max(w, ansi.StringWidth(r.Name), ansi.StringWidth(r.Value))
	}
	return max(w+9-DefaultWidth, 0)
}

// Update takes TXTStatusMsg from the engine and the keys: Enter (once)
// sends TXTCreatedMsg, ←/→ pan, Esc before Enter sends TXTBackMsg.
func (p *TXTPanel) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case TXTStatusMsg:
		if msg.Index >= 0 && msg.Index < len(p.records) {
			p.status[msg.Index], p.got[msg.Index] = msg, true
		}
		return nil
	case spinner.TickMsg:
		if !p.created || p.allSeen() {
			return nil
		}
		var cmd tea.Cmd
		p.spin, cmd = p.spin.Update(msg)
		return cmd
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, p.keys.Next) && !p.created:
			p.created, p.confirm.Yes = true, true
			return tea.Batch(p.spin.Tick, func() tea.Msg { return TXTCreatedMsg{} })
		case key.Matches(msg, p.keys.Back) && !p.created:
			return func() tea.Msg { return TXTBackMsg{} }
		case key.Matches(msg, p.keys.Left):
			p.xoff = max(p.xoff-8, 0)
		case key.Matches(msg, p.keys.Right):
			p.xoff = min(p.xoff+8, p.maxPan())
		}
	}
	return nil
}

// maxPan lets the longest name or value reach the left edge.
func (p *TXTPanel) maxPan() int {
	w := 0
	for _, r := range p.records {
		w = max(w, ansi.StringWidth(r.Name), ansi.StringWidth(r.Value))
	}
	return w
}

func (p *TXTPanel) allSeen() bool {
	for i, s := range p.status {
		if !p.got[i] || s.Of == 0 || len(s.Seen) < s.Of {
			return false
		}
	}
	return true
}

// statusText is what is known of record i, only what was observed.
func (p *TXTPanel) statusText(i int) string {
	s := p.status[i]
	switch {
	case s.Err != "":
		return i18n.T("cannot check: %s", termtext.Line(s.Err))
	case !p.Created():
		return i18n.T("to create")
	case !p.got[i] || s.Of == 0:
		return i18n.T("waiting to be seen")
	case len(s.Seen) == 0:
		return i18n.T("not seen yet (0 of %d servers)", s.Of)
	case len(s.Seen) < s.Of:
		return i18n.T("seen at %s (%d of %d servers)", termtext.Line(strings.Join(s.Seen, ", ")), len(s.Seen), s.Of)
	}
	return i18n.T("seen everywhere (%d of %d servers)", len(s.Seen), s.Of)
}

// View draws the explanation, the records and the state. Where the
// height is short, the advice goes first and the renewal note shrinks to
// one line; the records and the state stay.
func (p *TXTPanel) View(w, h int) string {
	v := p.view(w, false)
	if h > 0 && strings.Count(v, "\n")+1 > h {
		v = p.view(w, true)
	}
	return termtext.Styled(Fit(v, w, h))
}

func (p *TXTPanel) view(w int, compact bool) string {
	t := p.theme
	var b []string
	add := func(s string) { b = append(b, strings.Split(s, "\n")...) }
	add(t.Bold.Render(i18n.T("Create %s at your DNS host", plural(len(p.records), i18n.N("TXT record"), i18n.N("TXT records")))))
	if !compact {
		add(Paint(t.Muted, Hang("", i18n.T("Type TXT, name and value exactly as below. If the panel asks for a host record (主机记录), give the name without your domain at the end. One name with two values is two records."), w)))
	}
	for i, r := range p.records {
		add("")
		mark, style := MarkTodo, t.Muted
		s := p.status[i]
		switch {
		case s.Err != "":
			mark, style = MarkFail, t.Fail
		case p.got[i] && s.Of > 0 && len(s.Seen) == s.Of:
			mark, style = MarkOK, t.OK
		case p.created && !p.allSeen():
			mark = p.spin.View()
		}
		add(Fit(t.Bold.Render(i18n.T("Record %d of %d", i+1, len(p.records)))+"  "+style.Render(mark+" "+p.statusText(i)), w, 0))
		// The labels' column is as wide as the wider label (in display
		// cells: Chinese labels are wider) and two spaces.
		name, value := i18n.T("Name"), i18n.T("Value")
		col := max(ansi.StringWidth(name), ansi.StringWidth(value)) + 2
		room := max(w-2-col, 10)
		add("  " + PadRight(name, col) + PanLine(termtext.Line(r.Name), p.xoff, room))
		add("  " + PadRight(value, col) + t.Code.Render(PanLine(termtext.Line(r.Value), p.xoff, room)))
	}
	add("")
	if compact {
		add(t.Warn.Render(Ellipsize(MarkWarn+" "+i18n.T("Manual records: this certificate cannot renew unattended."), w)))
	} else {
		add(Paint(t.Warn, Hang(MarkWarn+" ", i18n.Tr(ManualRenewalNote), w)))
	}
	add("")
	switch {
	case !p.created:
		add(Hang("", i18n.T("Press Enter once every record is created, or Esc to choose a DNS provider instead."), w))
	case p.allSeen():
		add(t.OK.Render(MarkOK) + " " + i18n.T("Every record is seen by every authoritative server."))
	default:
		add(Hang("", i18n.T("Checking the domain's authoritative servers for each record…"), w))
	}
	return strings.Join(b, "\n")
}
