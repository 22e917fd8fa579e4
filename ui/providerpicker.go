package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/httpsify/httpsify/assets/dnsproviders"
	"github.com/httpsify/httpsify/assets/i18n"
)

// ManualDNS is the code the picker gives for "I add the TXT records
// myself". It is not lego's manual provider (that one reads stdin), so
// lego's own entry is left out of the list.
const ManualDNS = "manual"

// ManualLabel names the manual entry wherever it is offered.
var ManualLabel = i18n.N("Manual: I add the TXT records myself")

// ProviderPickedMsg reports the provider chosen in the picker: a catalog
// code, or ManualDNS.
type ProviderPickedMsg struct{ Code string }

// ProviderBackMsg: Esc on an empty filter; the step decides where back is.
type ProviderBackMsg struct{}

// FilterProviders is the picker's list for what was typed, in the order
// shown: every provider (featured first) when q is empty; otherwise the
// providers whose code, alias or name contains q, ignoring case, in the
// same order. A nickname or a near miss the catalog knows ("aliyun",
// "cloudfare") puts its provider first. Lego's manual entry is never in
// it: the picker offers its own.
func FilterProviders(q string) []dnsproviders.Provider {
	q = strings.ToLower(strings.TrimSpace(q))
	var hits, rest []dnsproviders.Provider
	byCode := map[string]dnsproviders.Provider{}
	for _, p := range dnsproviders.Ordered() {
		if p.Code == ManualDNS {
			continue
		}
		byCode[p.Code] = p
		if q == "" || matches(p, q) {
			hits = append(hits, p)
		}
	}
	if q == "" {
		return hits
	}
	seen := map[string]bool{}
	for _, p := range hits {
		seen[p.Code] = true
	}
	for i, code := range dnsproviders.Suggest(q, 3) {
		p, ok := byCode[code]
		if !ok || seen[code] {
			continue
		}
		seen[code] = true
		if i == 0 {
			hits = append([]dnsproviders.Provider{p}, hits...)
		} else {
			rest = append(rest, p)
		}
	}
	return append(hits, rest...)
}

func matches(p dnsproviders.Provider, q string) bool {
	if strings.Contains(p.Code, q) || strings.Contains(strings.ToLower(p.Name), q) {
		return true
	}
	for _, a := range p.Aliases {
		if strings.Contains(a, q) {
			return true
		}
	}
	return false
}

// ResolveProvider turns an exact answer (a code, an alias, a display name,
// or "manual") into a code; it is what the accessible prompt accepts.
func ResolveProvider(answer string) (string, bool) {
	a := strings.TrimSpace(answer)
	if strings.EqualFold(a, ManualDNS) {
		return ManualDNS, true
	}
	if p, ok := dnsproviders.ByCode(a); ok && p.Code != ManualDNS {
		return p.Code, true
	}
	for _, p := range dnsproviders.All() {
		if p.Code != ManualDNS && strings.EqualFold(p.Name, a) {
			return p.Code, true
		}
	}
	return "", false
}

// ProviderPicker is a filterable list of the DNS providers, with the
// manual entry always last. Its one field is the filter in the full-screen
// view and the question in accessible mode, so both ask the same thing.
type ProviderPicker struct {
	theme  Theme
	keys   KeyMap
	field  *Field
	shown  []dnsproviders.Provider
	cursor int // index in shown; len(shown) is the manual entry
	top    int // first row of shown on screen, kept as the cursor moves
	w, h   int // the size last given (SizeMsg)
	picked string
}

// NewProviderPicker returns a picker with the cursor on current (the
// provider chosen last time, "" for none).
func NewProviderPicker(theme Theme, keys KeyMap, current string) *ProviderPicker {
	p := &ProviderPicker{theme: theme, keys: keys, w: DefaultWidth, h: DefaultHeight}
	p.field = NewText(i18n.T("DNS provider"), "")
	p.field.input.Prompt = i18n.T("Filter: ")
	p.field.Placeholder = i18n.T("type a name or code")
	p.field.Hint = accessibleProviderHint()
	p.field.Check = func(v string) (string, error) {
		code, ok := ResolveProvider(v)
		if !ok {
			return "", noProviderError(v)
		}
		if code == ManualDNS {
			return i18n.Tr(ManualLabel), nil
		}
		pr, _ := dnsproviders.ByCode(code)
		return pr.Name, nil
	}
	p.field.input.Focus() // Init starts the blink; letters go here from the start
	p.refilter()
	if code, ok := ResolveProvider(current); ok {
		p.cursor = len(p.shown)
		for i, pr := range p.shown {
			if pr.Code == code {
				p.cursor = i
			}
		}
	}
	p.top = p.scrolled(p.w, p.h)
	return p
}

func accessibleProviderHint() string {
	var codes []string
	for _, p := range dnsproviders.Featured() {
		codes = append(codes, p.Code+" ("+p.Name+")")
	}
	return i18n.T("Type the code or name of the provider that serves your domain's DNS. Most used: %s. Or %s (%s). `httpsify dns-providers` lists them all.",
		strings.Join(codes, ", "), ManualDNS, i18n.Tr(ManualLabel))
}

// noProviderError names what was typed and the closest providers.
func noProviderError(v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		return errString(i18n.T("DNS provider: type a provider's code or name, or %s", ManualDNS))
	}
	var near []string
	for _, p := range FilterProviders(v) {
		if len(near) == 5 {
			break
		}
		near = append(near, p.Code+" ("+p.Name+")")
	}
	msg := i18n.T("DNS provider: no provider is called %q", v)
	if len(near) > 0 {
		msg += i18n.T("; did you mean %s?", strings.Join(near, ", "))
	}
	return errString(msg)
}

// Fields is the picker's question for the accessible runner (Ask).
func (p *ProviderPicker) Fields() []*Field { return []*Field{p.field} }

// Chosen is the code picked, or the accessible answer resolved.
func (p *ProviderPicker) Chosen() (string, bool) {
	if p.picked != "" {
		return p.picked, true
	}
	return ResolveProvider(p.field.Value())
}

// Init starts the filter's cursor.
func (p *ProviderPicker) Init() tea.Cmd { return p.field.input.Focus() }

// Typing is always true: letters go to the filter.
func (p *ProviderPicker) Typing() bool { return true }

// Keys are the bindings for the footer.
func (p *ProviderPicker) Keys() []key.Binding {
	esc := withHelp(p.keys.Back, "esc", i18n.N("back"))
	if p.filter() != "" {
		esc = withHelp(p.keys.Back, "esc", i18n.N("clear filter"))
	}
	return []key.Binding{withHelp(p.keys.Up, "↑/↓", i18n.N("move")), withHelp(p.keys.Next, "enter", i18n.N("pick")), esc}
}

func (p *ProviderPicker) filter() string { return p.field.input.Value() }

func (p *ProviderPicker) refilter() {
	p.shown = FilterProviders(p.filter())
	p.cursor, p.top = 0, 0
	if len(p.shown) == 0 {
		p.cursor = 0 // the manual entry
	}
}

// Update handles a key; it returns ProviderPickedMsg on Enter and
// ProviderBackMsg on Esc with nothing typed.
func (p *ProviderPicker) Update(msg tea.Msg) tea.Cmd {
	cmd := p.update(msg)
	p.top = p.scrolled(p.w, p.h)
	return cmd
}

func (p *ProviderPicker) update(msg tea.Msg) tea.Cmd {
	if sz, ok := msg.(SizeMsg); ok {
		p.w, p.h = sz.Width, sz.Height
		return nil
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		var cmd tea.Cmd
		p.field.input, cmd = p.field.input.Update(msg)
		return cmd
	}
	// Arrows only: j and k are letters of provider names here.
	switch km.Type {
	case tea.KeyUp:
		p.cursor = max(p.cursor-1, 0)
		return nil
	case tea.KeyDown:
		p.cursor = min(p.cursor+1, len(p.shown))
		return nil
	case tea.KeyPgUp:
		p.cursor = max(p.cursor-10, 0)
		return nil
	case tea.KeyPgDown:
		p.cursor = min(p.cursor+10, len(p.shown))
		return nil
	case tea.KeyHome:
		p.cursor = 0
		return nil
	case tea.KeyEnd:
		p.cursor = len(p.shown)
		return nil
	}
	switch {
	case key.Matches(km, p.keys.Next):
		code := ManualDNS
		if p.cursor < len(p.shown) {
			code = p.shown[p.cursor].Code
		}
		p.picked = code
		return func() tea.Msg { return ProviderPickedMsg{Code: code} }
	case key.Matches(km, p.keys.Back):
		if p.filter() != "" {
			p.field.input.SetValue("")
			p.refilter()
			return nil
		}
		return func() tea.Msg { return ProviderBackMsg{} }
	}
	before := p.filter()
	var cmd tea.Cmd
	p.field.input, cmd = p.field.input.Update(msg)
	if p.filter() != before {
		p.refilter()
	}
	return cmd
}

// View draws the filter, the list (scrolled to keep the cursor in view)
// and the manual entry, which is always shown, last.
func (p *ProviderPicker) View(w, h int) string {
	t := p.theme
	head := p.head(w)
	rows := p.rows(w, h)
	top := p.scrolled(w, h)

	// Columns as wide as the rows on screen need, within the width.
	codeW, nameW := 0, 0
	for _, pr := range p.shown[top:min(top+rows, len(p.shown))] {
		codeW = max(codeW, ansi.StringWidth(pr.Code))
		nameW = max(nameW, ansi.StringWidth(pr.Name))
	}
	codeW = min(codeW, max(w/3, 8))
	nameW = min(nameW, max(w-4-codeW-2, 8))

	var b []string
	b = append(b, head...)
	if len(p.shown) == 0 {
		b = append(b, Paint(t.Warn, Hang("  ", i18n.T("No provider matches %q. Esc clears the filter; the manual entry below always works.", p.filter()), w)))
	}
	for i := top; i < min(top+rows, len(p.shown)); i++ {
		pr := p.shown[i]
		name := Ellipsize(pr.Name, nameW)
		pad := strings.Repeat(" ", max(nameW-ansi.StringWidth(name), 0))
		code := t.Muted.Render(Ellipsize(pr.Code, codeW))
		if i == p.cursor {
			b = append(b, t.Cursor.Render("› ")+t.Selected.Render(name)+pad+"  "+code)
		} else {
			b = append(b, "  "+name+pad+"  "+code)
		}
	}
	more := ""
	if below := len(p.shown) - top - rows; below > 0 {
		more = i18n.T("  ↓ %d more", below)
	}
	if top > 0 {
		more = strings.TrimSpace(more + i18n.T("  ↑ %d above", top))
		more = "  " + more
	}
	b = append(b, t.Muted.Render(more), "")
	manual := Ellipsize(i18n.Tr(ManualLabel), max(w-4, 8))
	if p.cursor == len(p.shown) {
		b = append(b, t.Cursor.Render("› ")+t.Selected.Render(manual))
	} else {
		b = append(b, "  "+t.Accent.Render(manual))
	}
	return Fit(strings.Join(b, "\n"), w, h)
}

// head is the title, the filter and the hint above the list.
func (p *ProviderPicker) head(w int) []string {
	t := p.theme
	in := p.field.input
	in.Width = max(w-ansi.StringWidth(in.Prompt)-2, 10)
	if t.Color && in.Placeholder == "" {
		in.Placeholder = p.field.Placeholder
	}
	head := []string{
		t.Bold.Render(i18n.T("Which DNS provider serves your domain?")),
		strings.TrimRight(in.View(), " "),
		Paint(t.Muted, Hang("", p.hint(), w)),
		"",
	}
	return strings.Split(strings.Join(head, "\n"), "\n")
}

// rows is how many providers fit: below the list come a "more" line, a
// blank and the manual entry.
func (p *ProviderPicker) rows(w, h int) int {
	return max(h-len(p.head(w))-3, 3)
}

// scrolled is the first row to show so that the cursor is on screen.
func (p *ProviderPicker) scrolled(w, h int) int {
	rows, top := p.rows(w, h), p.top
	if p.cursor < len(p.shown) {
		top = min(top, p.cursor)
		if p.cursor >= top+rows {
			top = p.cursor - rows + 1
		}
	}
	return max(min(top, len(p.shown)-rows), 0)
}

func (p *ProviderPicker) hint() string {
	if p.filter() == "" {
		return i18n.T("Most used first. Type to filter by name or code (aliyun, cloudflare, …).")
	}
	n := len(p.shown)
	if n == 1 {
		return i18n.T("1 provider matches. Enter picks it; Esc clears the filter.")
	}
	return i18n.T("%d providers match. ↑/↓ and Enter pick one; Esc clears the filter.", n)
}
