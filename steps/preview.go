package steps

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/ui"
)

// Preview (step 6) shows every file the plan writes, highlighted, with
// the changed lines marked or as a diff against the current file. The
// toggles change the answers and rebuild the plan at once; nothing is
// written.
type Preview struct {
	st    *State
	files []previewFile
	cur   int
	diff  bool
	vp    viewport.Model
	xoff  int // columns panned sideways; markers stay put
	seq   int
	focus string // after a toggle: a directive to scroll to
	ready bool
	err   error
}

type previewReady struct {
	seq   int
	files []previewFile
}

// bodySizes are the client_max_body_size choices the toggle cycles.
var bodySizes = []string{"", "10m", "20m", "50m", "100m"}

func NewPreview(st *State) *Preview {
	vp := viewport.New(ui.DefaultWidth, 10)
	vp.SetHorizontalStep(8)
	return &Preview{st: st, vp: vp}
}

func (p *Preview) Title() string { return i18n.T("Preview") }

func (p *Preview) Enter() tea.Cmd {
	p.err = nil
	return p.render()
}

// render highlights and diffs the plan's files in a command.
func (p *Preview) render() tea.Cmd {
	p.seq++
	seq, t, plan := p.seq, p.st.Theme, p.st.Plan
	return func() tea.Msg { return previewReady{seq, renderFiles(t, plan)} }
}

func (p *Preview) Update(msg tea.Msg) tea.Cmd {
	k := p.st.Keys
	switch msg := msg.(type) {
	case ui.SizeMsg:
		p.vp.Width, p.vp.Height = msg.Width, max(msg.Height-5, 3)
		p.setContent(true)
	case previewReady:
		if msg.seq != p.seq {
			return nil
		}
		first := !p.ready
		p.files, p.ready = msg.files, true
		if first {
			p.cur = siteFileIndex(p.files)
		}
		p.cur = min(p.cur, max(len(p.files)-1, 0))
		p.setContent(!first)
		if p.focus != "" {
			p.scrollTo(p.focus) // show the line the toggle changed
			p.focus = ""
		}
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Next):
			return ui.Next(p.summary())
		case key.Matches(msg, k.Back):
			return ui.Back(1)
		case key.Matches(msg, k.Up):
			p.vp.ScrollUp(1)
		case key.Matches(msg, k.Down):
			p.vp.ScrollDown(1)
		case key.Matches(msg, k.PageUp):
			p.vp.PageUp()
		case key.Matches(msg, k.PageDown):
			p.vp.PageDown()
		case key.Matches(msg, k.Left):
			p.xoff = max(p.xoff-8, 0)
			p.setContent(true)
		case key.Matches(msg, k.Right):
			p.xoff = min(p.xoff+8, p.maxPan())
			p.setContent(true)
		case key.Matches(msg, k.NextFile):
			if len(p.files) > 0 {
				p.cur = (p.cur + 1) % len(p.files)
				p.setContent(false)
			}
		case key.Matches(msg, k.DiffView):
			p.diff = !p.diff
			p.setContent(false)
		case key.Matches(msg, k.HSTS, k.HTTP2, k.Body, k.Profile):
			return p.toggle(msg)
		}
	}
	return nil
}

// toggle changes one answer and rebuilds the plan, as apply would build
// it with the matching flag.
func (p *Preview) toggle(msg tea.KeyMsg) tea.Cmd {
	st, k := p.st, p.st.Keys
	old := st.Opts
	o := &st.Opts
	switch {
	case key.Matches(msg, k.HSTS):
		o.HSTS, p.focus = !o.HSTS, "listen"
		if o.HSTS {
			p.focus = "Strict-Transport-Security"
		}
	case key.Matches(msg, k.HTTP2):
		o.NoHTTP2, p.focus = !o.NoHTTP2, "listen"
	case key.Matches(msg, k.Body):
		o.ClientMaxBodySize, p.focus = nextBodySize(o.ClientMaxBodySize), "client_max_body_size"
	case key.Matches(msg, k.Profile):
		o.TLSProfile = map[bool]string{true: "modern", false: "intermediate"}[st.Settings.TLSProfile != "modern"]
		p.focus = "ssl_protocols"
	}
	if err := st.Settle(); err != nil {
		st.Opts, p.err = old, err
		return nil
	}
	p.err = nil
	return p.render()
}

func nextBodySize(cur string) string {
	for i, s := range bodySizes {
		if s == cur {
			return bodySizes[(i+1)%len(bodySizes)]
		}
	}
	return "" // a size given as a flag cycles back to the default
}

// setContent shows the current file; keep holds the scroll position when
// the same file is re-rendered after a toggle.
func (p *Preview) setContent(keep bool) {
	if len(p.files) == 0 {
		p.vp.SetContent("")
		return
	}
	y := p.vp.YOffset
	if !keep {
		p.xoff = 0
	}
	room := max(p.vp.Width-2, 4) // the marker takes two cells
	var out []string
	for _, l := range p.content() {
		out = append(out, l.Mark+panLine(l.Text, p.xoff, room))
	}
	p.vp.SetContent(strings.Join(out, "\n"))
	if keep {
		p.vp.SetYOffset(y)
	} else {
		p.vp.GotoTop()
	}
}

func (p *Preview) content() []previewLine {
	if len(p.files) == 0 {
		return nil
	}
	if p.diff {
		return p.files[p.cur].Diff
	}
	return p.files[p.cur].Full
}

// panLine shows room cells of text from column x: "…" where the line
// goes on beyond either edge, so a cut line never looks complete.
func panLine(text string, x, room int) string {
	w := ansi.StringWidth(text)
	if x == 0 && w <= room {
		return text
	}
	if w == 0 {
		return ""
	}
	if x >= w {
		return ui.MarkMore // the line is to the left
	}
	start, width := x, room
	lead := ""
	if x > 0 {
		lead, start, width = ui.MarkMore, x+1, room-1
	}
	if w-start > width {
		return lead + ansi.Cut(text, start, start+width-1) + ui.MarkMore
	}
	return lead + ansi.Cut(text, start, w)
}

// maxPan is how far right panning can go: the widest line's end.
func (p *Preview) maxPan() int {
	widest := 0
	for _, l := range p.content() {
		widest = max(widest, ansi.StringWidth(l.Text))
	}
	return max(widest-max(p.vp.Width-2, 4)+1, 0)
}

// scrollTo shows the first line holding directive near the top.
func (p *Preview) scrollTo(directive string) {
	for i, l := range p.content() {
		if strings.Contains(ansi.Strip(l.Text), directive) {
			p.vp.SetYOffset(max(i-2, 0))
			return
		}
	}
}

func siteFileIndex(files []previewFile) int {
	for i, f := range files {
		if f.Site {
			return i
		}
	}
	return 0
}

func (p *Preview) summary() string {
	s := p.st.Settings
	files := plural(len(p.st.Plan.Files), i18n.N("file"), i18n.N("files"))
	if len(p.st.Plan.Files) == 0 {
		files = i18n.T("no file changes")
	}
	return fmt.Sprintf("%s · HSTS %s · HTTP/2 %s · %s", files, onOff(s.HSTS), onOff(s.HTTP2), s.TLSProfile)
}

func (p *Preview) Keys() []key.Binding {
	k := p.st.Keys
	keys := []key.Binding{withHelp(k.Next, "enter", i18n.N("continue")), k.Back, withHelp(k.Up, "↑/↓", i18n.N("scroll"))}
	if len(p.files) > 1 {
		keys = append(keys, withHelp(k.NextFile, "tab", i18n.N("next file")))
	}
	return keys
}

func (p *Preview) FullKeys() []key.Binding {
	k := p.st.Keys
	return append(p.Keys(), withHelp(k.Left, "←/→", i18n.N("pan sideways")), withHelp(k.PageUp, "pgup/pgdn", i18n.N("page up/down")), k.DiffView, withHelp(k.HSTS, "h", i18n.N("HSTS on/off")), withHelp(k.HTTP2, "2", i18n.N("HTTP/2 on/off")), withHelp(k.Body, "u", i18n.N("largest upload")), withHelp(k.Profile, "t", i18n.N("TLS profile")))
}

func (p *Preview) Help() string {
	return i18n.T("This is every file the change writes, as it will be written. Lines marked + are new or changed; d shows a diff against the current file instead. The toggles rebuild the plan at once: h sends HSTS (browsers then refuse plain http for two years: hard to undo), 2 turns HTTP/2 on or off, u cycles the largest upload nginx accepts, t switches between the intermediate TLS profile (TLS 1.2 and 1.3, for older phones too) and modern (TLS 1.3 only). ") + i18n.Tr(unchangedNote) + i18n.T(".")
}

func (p *Preview) View(w, h int) string {
	st, t := p.st, p.st.Theme
	s := st.Settings
	if !p.ready {
		return t.Muted.Render(i18n.T("Rendering the configuration…"))
	}
	if len(p.files) == 0 {
		msg := i18n.T("nginx already has this configuration: no file needs to change.")
		if certLink(st) != "" {
			msg += i18n.T(" Only the certificate link changes.")
		}
		return ui.Hang("", msg+i18n.T(" The options below would change it; nothing has been written yet."), w) + "\n\n" + p.toggles(s)
	}
	f := p.files[p.cur]
	head := t.Bold.Render(f.Verb + " " + f.Path)
	if len(p.files) > 1 {
		head += t.Muted.Render(i18n.T("  (file %d of %d)", p.cur+1, len(p.files)))
	}
	mode := i18n.T("whole file (+ = new)")
	if p.diff {
		mode = i18n.T("diff (- now, + after)")
	}
	vp := p.vp
	vp.Width, vp.Height = w, max(h-5, 3)
	if n := vp.TotalLineCount(); n > vp.Height {
		mode += i18n.T(" · lines %d-%d/%d", vp.YOffset+1, min(vp.YOffset+vp.Height, n), n)
	}
	rule := strings.Repeat("─", w)
	note := "── " + i18n.Tr(unchangedNote) + " "
	sub := t.Muted.Render(f.Why + " · " + mode)
	switch {
	case s.HSTS:
		// The one toggle that is hard to take back says so while it is on.
		sub = t.Warn.Render(ui.Fit(ui.MarkWarn+" "+i18n.T("HSTS: browsers will insist on https for this name for 2 years"), w, 1))
	case s.TLSProfile == "modern":
		sub = t.Warn.Render(ui.Fit(ui.MarkWarn+" "+i18n.T("TLS 1.3 only: Android before 10 and older WeChat versions cannot connect"), w, 1))
	}
	lines := []string{
		head,
		sub,
		t.Muted.Render(note + strings.Repeat("─", max(w-ansi.StringWidth(note), 0))),
		trimRight(vp.View()),
		t.Muted.Render(rule),
		p.toggles(s),
	}
	if p.err != nil {
		lines[len(lines)-1] = t.Fail.Render(ui.MarkFail + " " + planMessage(p.err))
	}
	return strings.Join(lines, "\n")
}

// toggles shows the four live options with their keys.
func (p *Preview) toggles(s *provision.Settings) string {
	t := p.st.Theme
	body := p.st.Plan.BodySize
	tls := "1.2+1.3"
	if s.TLSProfile == "modern" {
		tls = i18n.T("1.3 only")
	}
	item := func(k, label string) string { return t.Key.Render(k) + " " + label }
	view := i18n.T("diff")
	if p.diff {
		view = i18n.T("whole file")
	}
	return strings.Join([]string{
		item("h", "HSTS "+onOff(s.HSTS)),
		item("2", "HTTP/2 "+onOff(s.HTTP2)),
		item("u", i18n.T("upload limit %s", body)),
		item("t", "TLS "+tls),
		item("d", view),
	}, t.Muted.Render(" · "))
}
