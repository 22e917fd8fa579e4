package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/x/ansi"

	"github.com/httpsify/httpsify/assets/dnsproviders"
	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/termtext"
)

// CredentialsMsg carries what the user entered for Code, by variable
// name; empty fields are left out, options only when shown.
type CredentialsMsg struct {
	Code   string
	Values map[string]string
}

// CredentialsBackMsg: Esc; the step decides where back is (the picker).
type CredentialsBackMsg struct{}

// credCheckedMsg is the answer of the Check callback for check number gen.
type credCheckedMsg struct {
	gen int
	err error
}

// revealEndMsg hides a revealed secret again after a while.
type revealEndMsg struct{ gen int }

// RevealFor is how long a secret stays shown after the reveal key.
const RevealFor = 15 * time.Second

// credField is one variable's field.
type credField struct {
	*Field
	v        dnsproviders.Variable
	option   bool // lego's "additional" settings, behind "more options"
	optional bool // lego says so in the description
}

// CredentialsForm asks for one provider's credential variables, and its
// options behind a toggle. Lego lists alternatives side by side (an API
// token, or a key and an email), so no single field is required; the
// form asks for at least one credential and leaves the rest to Check.
type CredentialsForm struct {
	theme Theme
	keys  KeyMap
	dkeys DNSKeyMap
	p     dnsproviders.Provider

	// Check, when set, tries the values (the engine's "check
	// credentials"); it runs in a command, never in Update.
	Check func(map[string]string) error

	creds, opts []*credField
	more        *Field // "Set more options?": the toggle, and the accessible question
	form        *Form

	revealed  *Field
	revealGen int

	spin     spinner.Model
	checking bool
	checkGen int
	checked  bool  // a check finished for the values shown
	checkErr error // its verdict, redacted and cleaned
	err      error // the at-least-one refusal, until the next key
}

// NewCredentialsForm returns the form for p, pre-filled from existing
// (the values stored last time, by variable name), secrets masked.
func NewCredentialsForm(theme Theme, keys KeyMap, p dnsproviders.Provider, existing map[string]string) *CredentialsForm {
	c := &CredentialsForm{theme: theme, keys: keys, dkeys: DNSKeys, p: p}
	c.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	optionSet := false
	mk := func(v dnsproviders.Variable, option bool) *credField {
		f := NewText(v.Name, existing[v.Name])
		f.Optional = true // the rule across fields is Validate's
		cf := &credField{Field: f, v: v, option: option,
			optional: option || strings.Contains(strings.ToLower(v.Description), "optional")}
		if IsSecretVariable(v.Name) {
			f.SetSecret()
		}
		f.Hint = c.accessibleHint(cf)
		if option && f.Value() != "" {
			optionSet = true
		}
		return cf
	}
	for _, v := range p.Credentials {
		c.creds = append(c.creds, mk(v, false))
	}
	for _, v := range p.Options {
		c.opts = append(c.opts, mk(v, true))
	}
	c.more = NewConfirm(i18n.T("Set any of the %d more options (timeouts, TTL, …)?", len(p.Options)), optionSet)
	var fields []*Field
	for _, f := range c.creds {
		fields = append(fields, f.Field)
	}
	for _, f := range c.opts {
		f.Hidden = func() bool { return !c.more.Yes }
		fields = append(fields, f.Field)
	}
	c.form = NewForm(theme, keys, fields...)
	return c
}

// accessibleHint is what a line prompt says before a variable.
func (c *CredentialsForm) accessibleHint(f *credField) string {
	h := f.v.Description
	if f.optional && !strings.Contains(strings.ToLower(h), "optional") {
		h += i18n.T(" (optional)")
	}
	if f.secret && f.Value() != "" {
		h += i18n.T(" Set already (%d characters); Enter keeps it.", len([]rune(f.Value())))
	}
	return h
}

// Fields are the questions in order for the accessible runner: the
// credentials, the "more options" question, then the options it unlocks.
func (c *CredentialsForm) Fields() []*Field {
	var out []*Field
	for _, f := range c.creds {
		out = append(out, f.Field)
	}
	if len(c.opts) > 0 {
		out = append(out, c.more)
		for _, f := range c.opts {
			out = append(out, f.Field)
		}
	}
	return out
}

// Values are the non-empty answers by variable name; options count only
// while they are shown.
func (c *CredentialsForm) Values() map[string]string {
	out := map[string]string{}
	for _, f := range c.creds {
		if v := f.Value(); v != "" {
			out[f.v.Name] = v
		}
	}
	if c.more.Yes {
		for _, f := range c.opts {
			if v := f.Value(); v != "" {
				out[f.v.Name] = v
			}
		}
	}
	return out
}

// Validate is the form's one rule: at least one credential that lego does
// not call optional, unless the provider has none, or lego notes another
// way it finds credentials (azure: the instance metadata service). Which
// combination works is the Check's and lego's to say.
func (c *CredentialsForm) Validate() error {
	var names []string
	for _, f := range c.creds {
		if f.optional {
			continue
		}
		if f.Value() != "" {
			return nil
		}
		names = append(names, f.v.Name)
	}
	if len(names) == 0 || len(c.p.Notes) > 0 {
		return nil
	}
	if len(names) > 3 {
		names = append(names[:3], "…")
	}
	return i18n.Errorf("%s credentials: enter at least one of %s", c.p.Name, strings.Join(names, ", "))
}

// Ask runs the form as line prompts (accessible mode): the same fields,
// the same rule, then the check when there is one.
func (c *CredentialsForm) Ask(in io.Reader, out io.Writer) error {
	lr := &lineReader{r: in}
	for {
		for _, f := range c.Fields() {
			var err error
			if f.secret && !f.hidden() {
				err = askSecret(in, lr, out, f)
			} else {
				err = Ask(lr, out, f)
			}
			if err != nil {
				return err
			}
		}
		if err := c.Validate(); err != nil {
			fmt.Fprintln(out, MarkFail+" "+err.Error())
			if lr.eof {
				return err
			}
			continue
		}
		if c.Check == nil {
			return nil
		}
		fmt.Fprintln(out, i18n.T("Checking the credentials with %s…", c.p.Name))
		err := c.Check(c.Values())
		if err == nil {
			fmt.Fprintln(out, MarkOK+" "+i18n.T("%s accepted the credentials.", c.p.Name))
			return nil
		}
		fmt.Fprintln(out, MarkFail+" "+c.redact(err).Error())
		again := NewConfirm(i18n.T("Enter the credentials again?"), true)
		if err := Ask(lr, out, again); err != nil {
			return err
		}
		if !again.Yes || lr.eof {
			return nil // kept as entered: issuing will say what is wrong
		}
	}
}

// askSecret asks for a secret on one line: on a terminal through huh's
// password prompt (no echo), otherwise (a pipe, a test) as a plain line,
// which nothing echoes. An empty answer keeps the value already set.
func askSecret(in io.Reader, lr *lineReader, out io.Writer, f *Field) error {
	if f.Hint != "" {
		fmt.Fprintln(out, f.Hint)
	}
	if tty, ok := in.(*os.File); ok && isTerminal(tty) {
		text := ""
		hf := huh.NewInput().Title(f.Title).EchoMode(huh.EchoModePassword).Value(&text)
		if err := huh.NewForm(huh.NewGroup(hf)).WithAccessible(true).WithInput(tty).WithOutput(out).Run(); err != nil {
			return err
		}
		if text != "" {
			f.SetValue(text)
		}
		return nil
	}
	fmt.Fprint(out, f.Title+" (hidden): ")
	line, err := readLine(lr)
	fmt.Fprintln(out)
	if line != "" {
		f.SetValue(line)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// readLine reads one line, without its end.
func readLine(lr *lineReader) (string, error) {
	buf := make([]byte, 4096)
	n, err := lr.Read(buf)
	return strings.TrimRight(string(buf[:n]), "\r\n"), err
}

// redact removes every secret value from an error's text (a provider's
// API may quote what it was sent) and makes the text safe to print.
func (c *CredentialsForm) redact(err error) error {
	msg := err.Error()
	var secrets []string
	for _, f := range append(append([]*credField{}, c.creds...), c.opts...) {
		if f.secret && f.Value() != "" {
			secrets = append(secrets, f.Value())
		}
	}
	// Longest first, so a secret containing another is hidden whole.
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	for _, s := range secrets {
		msg = strings.ReplaceAll(msg, s, "[hidden]")
	}
	return errors.New(termtext.Line(msg))
}

// Init starts the first field's cursor.
func (c *CredentialsForm) Init() tea.Cmd { return c.form.Init() }

// Typing is true: letters go to the fields.
func (c *CredentialsForm) Typing() bool { return true }

// Keys are the bindings for the footer.
func (c *CredentialsForm) Keys() []key.Binding {
	ks := []key.Binding{withHelp(c.keys.Next, "enter", i18n.N("use these")), withHelp(c.keys.NextField, "tab/↓", i18n.N("next field"))}
	if f := c.form.Focused(); f != nil && f.secret {
		ks = append(ks, c.dkeys.Reveal)
	}
	if len(c.opts) > 0 {
		ks = append(ks, c.dkeys.MoreOptions)
	}
	if c.Check != nil {
		ks = append(ks, c.dkeys.CheckCreds)
	}
	return append(ks, c.keys.Back)
}

// Update handles a message; it returns CredentialsMsg on Enter once the
// form's rule holds, and CredentialsBackMsg on Esc.
func (c *CredentialsForm) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case credCheckedMsg:
		if msg.gen == c.checkGen {
			c.checking, c.checked, c.checkErr = false, true, nil
			if msg.err != nil {
				c.checkErr = c.redact(msg.err)
			}
		}
		return nil
	case revealEndMsg:
		if msg.gen == c.revealGen {
			c.hide()
		}
		return nil
	case spinner.TickMsg:
		if !c.checking {
			return nil
		}
		var cmd tea.Cmd
		c.spin, cmd = c.spin.Update(msg)
		return cmd
	case tea.KeyMsg:
		return c.key(msg)
	}
	cmd, _ := c.form.Update(msg)
	return cmd
}

func (c *CredentialsForm) key(km tea.KeyMsg) tea.Cmd {
	c.err = nil
	switch {
	case key.Matches(km, c.keys.Back):
		c.hide()
		return func() tea.Msg { return CredentialsBackMsg{} }
	case key.Matches(km, c.dkeys.Reveal):
		if f := c.form.Focused(); f != nil && f.secret {
			if c.revealed == f {
				c.hide()
				return nil
			}
			c.hide()
			f.input.EchoMode = textinput.EchoNormal
			c.revealed = f
			c.revealGen++
			gen := c.revealGen
			return tea.Tick(RevealFor, func(time.Time) tea.Msg { return revealEndMsg{gen} })
		}
		return nil
	case key.Matches(km, c.dkeys.MoreOptions):
		if len(c.opts) == 0 {
			return nil
		}
		c.more.Yes = !c.more.Yes
		if !c.more.Yes && c.form.Focused() != nil && c.form.Focused().hidden() {
			c.hide()
			if len(c.creds) == 0 {
				c.form.blur() // nothing left to focus (hyperone: options only)
				c.form.focus = -1
				return nil
			}
			return c.form.FocusOn(c.creds[0].Field)
		}
		if c.more.Yes {
			c.hide()
			return c.form.FocusOn(c.opts[0].Field)
		}
		return nil
	case key.Matches(km, c.dkeys.CheckCreds):
		if c.Check == nil || c.checking {
			return nil
		}
		if err := c.Validate(); err != nil {
			c.err = err
			return nil
		}
		c.checking, c.checked, c.checkErr = true, false, nil
		c.checkGen++
		gen, check, vals := c.checkGen, c.Check, c.Values()
		return tea.Batch(c.spin.Tick, func() tea.Msg { return credCheckedMsg{gen: gen, err: check(vals)} })
	}
	before := c.Values()
	cmd, submitted := c.form.Update(km)
	if c.form.Focused() == nil && key.Matches(km, c.keys.Next) {
		submitted = true // nothing to ask (exec, hyperone)
	}
	if c.revealed != nil && c.form.Focused() != c.revealed {
		c.hide() // a secret is shown only while its field has focus
	}
	if !sameValues(before, c.Values()) {
		// The verdict was for other values; a check in flight too.
		c.checked, c.checkErr, c.checking = false, nil, false
		c.checkGen++
	}
	if !submitted {
		return cmd
	}
	if err := c.Validate(); err != nil {
		c.err = err
		return c.form.FocusOn(c.creds[0].Field)
	}
	c.hide()
	code, vals := c.p.Code, c.Values()
	return func() tea.Msg { return CredentialsMsg{Code: code, Values: vals} }
}

func (c *CredentialsForm) hide() {
	if c.revealed != nil {
		c.revealed.input.EchoMode = textinput.EchoPassword
		c.revealed = nil
	}
}

func sameValues(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// View draws the fields (scrolled to keep the focused one in view), the
// options toggle and the check's state.
func (c *CredentialsForm) View(w, h int) string {
	t := c.theme
	head := []string{t.Bold.Render(Ellipsize(i18n.T("%s credentials", termtext.Line(c.p.Name)), w))}
	intro := i18n.T("Fill in the ones for the way you sign in and leave the rest empty: lego lists alternatives side by side. Secrets show as dots; %s shows the one you are typing.", c.dkeys.Reveal.Help().Key)
	if len(c.p.Credentials) == 0 {
		intro = i18n.T("lego reads no credentials for this provider.")
	}
	head = append(head, strings.Split(Paint(t.Muted, Hang("", intro, w)), "\n")...)
	for _, n := range c.p.Notes {
		head = append(head, strings.Split(Paint(t.Muted, Hang(i18n.T("Note: "), termtext.Clean(n), w)), "\n")...)
	}
	head = append(head, strings.Split(Paint(t.Muted, Hang("", i18n.T("Details: %s", c.p.DocsURL()), w)), "\n")...)
	head = append(head, "")

	var body []string
	start, end := 0, 0
	add := func(fs []*credField) {
		for _, f := range fs {
			if f.hidden() {
				continue
			}
			if len(body) > 0 {
				body = append(body, "")
			}
			focused := c.form.Focused() == f.Field
			if focused {
				start = len(body)
			}
			body = append(body, strings.Split(c.fieldView(f, focused, w), "\n")...)
			if focused {
				end = len(body)
			}
		}
	}
	add(c.creds)
	if len(c.opts) > 0 {
		if len(body) > 0 {
			body = append(body, "")
		}
		toggle := i18n.T("▸ %d more options (timeouts, TTL, …): %s shows them", len(c.opts), c.dkeys.MoreOptions.Help().Key)
		if c.more.Yes {
			toggle = i18n.T("▾ Options: %s hides them (and leaves them unset)", c.dkeys.MoreOptions.Help().Key)
		}
		body = append(body, t.Accent.Render(Ellipsize(toggle, w)))
		add(c.opts)
	}

	foot := c.status(w)
	rows := max(h-len(head)-len(foot), 4)
	// Scroll so the focused field is whole on screen.
	top := max(min(end-rows, start), 0)
	if len(body) <= rows {
		top = 0
	}
	shown := body[top:min(top+rows, len(body))]
	if top > 0 {
		shown = append([]string{t.Muted.Render(i18n.T("  ↑ %d lines above", top))}, shown[1:]...)
	}
	if below := len(body) - top - len(shown); below > 0 && len(shown) > 1 {
		shown = append(shown[:len(shown)-1], t.Muted.Render(i18n.T("  ↓ %d lines below", below+1)))
	}
	out := append(append(head, shown...), foot...)
	return termtext.Styled(Fit(strings.Join(out, "\n"), w, h))
}

// status is the refusal or the check's progress and verdict.
func (c *CredentialsForm) status(w int) []string {
	t := c.theme
	var s string
	switch {
	case c.err != nil:
		s = Paint(t.Fail, Hang(MarkFail+" ", c.err.Error(), w))
	case c.checking:
		s = c.spin.View() + " " + i18n.T("Checking the credentials with %s…", termtext.Line(c.p.Name))
	case c.checked && c.checkErr != nil:
		s = Paint(t.Fail, Hang(MarkFail+" ", c.checkErr.Error(), w))
	case c.checked:
		s = t.OK.Render(MarkOK) + " " + i18n.T("%s accepted the credentials.", termtext.Line(c.p.Name))
	default:
		return nil
	}
	return append([]string{""}, strings.Split(s, "\n")...)
}

func (c *CredentialsForm) fieldView(f *credField, focused bool, w int) string {
	t := c.theme
	mark := "  "
	if focused {
		mark = t.Cursor.Render("› ")
	}
	title := mark + t.Bold.Render(f.v.Name)
	var tags []string
	if f.optional {
		tags = append(tags, i18n.T("optional"))
	}
	if f.secret {
		tags = append(tags, i18n.T("secret"))
	}
	if len(tags) > 0 {
		title += "  " + t.Muted.Render(strings.Join(tags, ", "))
	}
	lines := []string{title}
	val := f.Value()
	n := len([]rune(f.input.Value()))
	switch {
	case focused:
		in := f.input
		in.Width = max(w-8-ansi.StringWidth(fmt.Sprint(n))-12, 10)
		line := "    " + strings.TrimRight(in.View(), " ")
		if f.secret && c.revealed != f.Field {
			line += "  " + t.Muted.Render(chars(n))
		}
		lines = append(lines, line)
	case val == "":
		lines = append(lines, "    "+t.Muted.Render(i18n.T("(not set)")))
	case f.secret:
		lines = append(lines, "    ••••••••  "+t.Muted.Render(chars(n)))
	default:
		lines = append(lines, "    "+PanLine(termtext.Line(val), 0, max(w-4, 8)))
	}
	if d := strings.TrimSpace(f.v.Description); d != "" {
		lines = append(lines, Paint(t.Muted, Hang("    ", termtext.Clean(d), w)))
	}
	return strings.Join(lines, "\n")
}

func chars(n int) string {
	if n == 1 {
		return i18n.T("1 character")
	}
	return i18n.T("%d characters", n)
}
