package steps

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/acme"
	"github.com/httpsify/httpsify/provision/termtext"
	"github.com/httpsify/httpsify/ui"
)

// Home is the screen a rerun opens on when httpsify already manages
// sites: a table of them (names, certificate, expiry, next renewal, last
// run) and what can be done with the selected one. Check and renew run
// here; change and add go on to the numbered steps, so every change
// still passes preview → check → reload → verify.
type Home struct {
	st       *State
	base     provision.Options // the answers the wizard started with
	statuses []provision.SiteStatus
	loadErr  error

	// The two questions, shared with the line prompts (Asker): which
	// site, and what to do with it. The table's cursor is site's value.
	site, action *ui.Field

	spin      spinner.Model
	running   string // the action under way, "" when none
	cancel    context.CancelFunc
	quitAfter bool
	from      int       // index in st.Log of the action's first event
	outcome   *homeDone // the last check or renewal, until dismissed
	rm        *removeFlow
}

// The actions on a managed site.
const (
	actCheck  = "check"
	actRenew  = "renew"
	actChange = "change"
	actAdd    = "add"
	actQuit   = "quit" // line prompts only: the full screen has ctrl+c/q
)

// homeAction is one action: its value, the words offered, and its key.
type homeAction struct {
	value, label string
	key          key.Binding
}

// homeActions are the actions on the selected site, in the order
// offered; check first, so Enter on the first screen verifies the site.
func (h *Home) homeActions() []homeAction {
	k := h.st.Keys
	return []homeAction{
		{actCheck, i18n.N("check now"), k.CheckNow},
		{actRenew, i18n.N("renew now"), k.RenewNow},
		{actChange, i18n.N("change"), k.Change},
		{actRemove, i18n.N("remove"), k.Remove},
		{actAdd, i18n.N("add a site"), k.AddSite},
	}
}

// actionLabels are the long forms the line prompts offer.
var actionLabels = map[string]string{
	actCheck:  i18n.N("Check now: is the installed certificate served, does the site answer (changes nothing)"),
	actRenew:  i18n.N("Renew now: a new certificate from the CA, swapped in and verified"),
	actChange: i18n.N("Change: names, challenge, CA, key type, TLS options, install location (preview first)"),
	actRemove: i18n.N("Remove: restore the site as it was, or keep it as it is; httpsify stops managing it (what happens is shown first)"),
	actAdd:    i18n.N("Add another site"),
	actQuit:   i18n.N("Quit"),
}

// homeDone is the outcome of a check or a renewal.
type homeDone struct {
	action, site string
	checks       []provision.Check
	renewal      provision.SiteRenewal
	removed      *provision.RemoveResult
	declined     bool // the removal was not confirmed
	err          error
}

func NewHome(st *State) *Home { return &Home{st: st, base: st.Opts, spin: newSpinner(st.Theme)} }

func (h *Home) Title() string { return i18n.T("Sites httpsify manages") }

// Managed loads the managed sites and reports whether there are any (the
// wizard then opens on them).
func (h *Home) Managed() bool {
	h.reload()
	return len(h.statuses) > 0
}

// reload reads the sites again (after a renewal, say), keeping the
// selection.
func (h *Home) reload() {
	if h.st.Manager == nil {
		return
	}
	h.statuses, h.loadErr = h.st.Manager.Statuses(h.st.now())
}

// Enter rebuilds the two questions from the sites as they are now.
func (h *Home) Enter() tea.Cmd {
	keep := ""
	if h.site != nil {
		keep = h.site.Value()
	}
	h.reload()
	var opts []ui.Option
	for _, s := range h.statuses {
		opts = append(opts, ui.Option{Label: siteRowPlain(s, h.st.now()), Value: s.Name, Short: termtext.Line(s.Name)})
	}
	h.site = ui.NewChoice(i18n.N("Which site?"), keep, opts...)
	var acts []ui.Option
	for _, a := range h.homeActions() {
		acts = append(acts, ui.Option{Label: actionLabels[a.value], Value: a.value, Short: a.label})
	}
	h.action = ui.NewChoice(i18n.N("What should httpsify do?"), actCheck, acts...)
	return nil
}

// Questions: which site, then what to do (Asker).
func (h *Home) Questions() []*ui.Field { return []*ui.Field{h.site, h.action} }

func (h *Home) Answered(*ui.Field) []string { return nil }

// Submit keeps the choice; change and add load the answers the
// numbered steps start from.
func (h *Home) Submit() (string, *ui.Field, error) {
	name := h.site.Value()
	switch h.action.Value() {
	case actChange:
		o, err := h.st.Manager.SiteOptions(name)
		if err != nil {
			return "", h.action, i18n.Errorf("%s cannot be changed here: %s", name, termtext.Line(err.Error()))
		}
		h.st.Opts, h.st.AppWarnings = o, nil
		return i18n.T("change %s", termtext.Line(name)), nil, nil
	case actAdd:
		h.st.Opts, h.st.AppWarnings = h.base, nil
		return i18n.T("add a site"), nil, nil
	}
	return h.action.Value() + " " + termtext.Line(name), nil, nil
}

// work is the engine call behind check and renew, run by either runner.
func (h *Home) work(ctx context.Context, action, name string) func() tea.Msg {
	m := h.st.Manager
	return func() tea.Msg {
		d := &homeDone{action: action, site: name}
		switch action {
		case actCheck:
			d.checks, d.err = m.CheckSite(ctx, name)
		case actRenew:
			d.renewal = m.RenewSite(ctx, name)
			d.err = d.renewal.Err
		}
		return d
	}
}

// start runs a check or a renewal on the selected site.
func (h *Home) start(action string) tea.Cmd {
	st := h.st
	ctx, cancel := context.WithCancel(st.Ctx)
	h.running, h.cancel, h.quitAfter, h.outcome, h.from = action, cancel, false, nil, len(st.Log)
	st.Feed.Go(h.work(ctx, action, h.site.Value()))
	return tea.Batch(st.Feed.Next(), h.spin.Tick)
}

// run does what the action names: here (check, renew), or on to the
// numbered steps (change, add).
func (h *Home) run(action string) tea.Cmd {
	h.action.SetValue(action)
	switch action {
	case actCheck, actRenew:
		return h.start(action)
	case actRemove:
		return h.startRemove()
	}
	sum, _, err := h.Submit()
	if err != nil {
		h.outcome = &homeDone{action: action, site: h.site.Value(), err: err}
		return nil
	}
	return ui.Next(sum)
}

func (h *Home) Update(msg tea.Msg) tea.Cmd {
	st := h.st
	switch msg := msg.(type) {
	case EventMsg:
		st.record(msg.Event)
		return st.Feed.Next()
	case *homeDone:
		h.running, h.outcome = "", msg
		h.cancel()
		if h.quitAfter {
			return ui.Quit(ui.ExitInterrupted, h.outcomeText(plainWidth))
		}
		switch msg.action {
		case actRenew:
			h.reload() // the new expiry and last run
		case actRemove:
			h.Enter() // one site fewer
		}
		// The verdict stays in the scrollback after the wizard ends.
		return tea.Println(termtext.Styled(h.outcomeText(plainWidth)))
	case removePlanned:
		if h.rm != nil {
			return h.updateRemove(msg)
		}
	case spinner.TickMsg:
		if h.running != "" || h.rm != nil && h.rm.planning {
			var cmd tea.Cmd
			h.spin, cmd = h.spin.Update(msg)
			return cmd
		}
	case ui.InterruptMsg:
		if h.running != "" {
			h.quitAfter = true
			h.cancel()
		}
	case tea.KeyMsg:
		k := st.Keys
		switch {
		case h.running != "":
			return nil
		case h.rm != nil:
			return h.updateRemove(msg)
		case len(h.statuses) == 0:
			if key.Matches(msg, k.AddSite, k.Next) {
				return h.run(actAdd)
			}
			return nil
		}
		switch {
		case key.Matches(msg, k.Up):
			h.move(h.site, -1)
		case key.Matches(msg, k.Down):
			h.move(h.site, 1)
		case key.Matches(msg, k.Left, k.PrevField):
			h.move(h.action, -1)
		case key.Matches(msg, k.Right, k.NextField):
			h.move(h.action, 1)
		case key.Matches(msg, k.Back):
			h.outcome = nil
		case key.Matches(msg, k.Next):
			if h.outcome != nil {
				h.outcome = nil // read: back to the site's details
				return nil
			}
			return h.run(h.action.Value())
		default:
			for _, a := range h.homeActions() {
				if key.Matches(msg, a.key) {
					return h.run(a.value)
				}
			}
		}
	}
	return nil
}

// move steps a choice by dir, and drops a shown outcome when the site
// changes.
func (h *Home) move(f *ui.Field, dir int) {
	i := 0
	for j, o := range f.Options {
		if o.Value == f.Value() {
			i = j
		}
	}
	i = min(max(i+dir, 0), len(f.Options)-1)
	if f == h.site && f.Options[i].Value != f.Value() {
		h.outcome = nil
	}
	f.SetValue(f.Options[i].Value)
}

func (h *Home) Busy() string {
	switch h.running {
	case actRenew:
		return i18n.T("A renewal is under way; stopping it keeps the old certificate served. Stop and quit?")
	case actCheck:
		return i18n.T("A check is under way (it changes nothing). Stop and quit?")
	case actRemove:
		return i18n.T("The site is being removed; this finishes or rolls back within seconds. Quit then?")
	}
	return ""
}

func (h *Home) Keys() []key.Binding {
	k := h.st.Keys
	switch {
	case h.running != "":
		return nil
	case h.rm != nil:
		return h.removeKeys()
	case len(h.statuses) == 0:
		return []key.Binding{k.AddSite}
	case h.outcome != nil:
		return []key.Binding{withHelp(k.Next, "enter", i18n.N("back to the site")), withHelp(k.Up, "↑/↓", i18n.N("site"))}
	}
	keys := []key.Binding{withHelp(k.Next, "enter", h.actionLabel()), withHelp(k.Up, "↑/↓", i18n.N("site")), withHelp(k.Left, "←/→", i18n.N("action"))}
	for _, a := range h.homeActions() {
		keys = append(keys, a.key)
	}
	return keys
}

func (h *Home) actionLabel() string {
	for _, a := range h.homeActions() {
		if a.value == h.action.Value() {
			return a.label
		}
	}
	return ""
}

func (h *Home) Help() string {
	return i18n.T("These are the sites httpsify set up on this server, read from its state directory. Check now connects to each name as a browser would and compares the certificate served with the one installed; it changes nothing. Renew now asks the CA for a new certificate, swaps it in, reloads nginx and verifies it, keeping the old one served if anything fails. Change goes through the usual steps, pre-filled, with a preview before anything is written. Remove asks whether to restore the site as it was before httpsify or keep it as it is, shows what that changes, and asks again (default no). Add a site starts the wizard from the beginning.")
}

// selected is the status of the site under the cursor.
func (h *Home) selected() *provision.SiteStatus {
	for i := range h.statuses {
		if h.statuses[i].Name == h.site.Value() {
			return &h.statuses[i]
		}
	}
	return nil
}

// outcomeText is what the last check or renewal observed, for the
// transcript and the line prompts.
func (h *Home) outcomeText(w int) string {
	return strings.Join(h.outcomeLines(h.outcome, w), "\n")
}

// outcomeLines say what the action observed: "verified" only when every
// check passed, "renewed" only when the engine verified the new leaf.
func (h *Home) outcomeLines(d *homeDone, w int) []string {
	if d == nil {
		return nil
	}
	t := h.st.Theme
	ok := func(s string) string { return ui.Hang(t.OK.Render(ui.MarkOK)+" ", t.Bold.Render(s), w) }
	fail := func(s string) string { return ui.Paint(t.Fail, ui.Hang(ui.MarkFail+" ", s, w)) }
	name := termtext.Line(d.site)
	switch d.action {
	case actCheck:
		var ve *provision.VerifyError
		switch {
		case d.err == nil && len(d.checks) > 0:
			return []string{ok(i18n.T("%s verified: it serves its installed certificate and answers over https.", name))}
		case errors.As(d.err, &ve):
			return []string{fail(i18n.T("%s did not pass the check (nothing was changed): %s", name, failedChecks(ve.Checks)))}
		case d.err != nil:
			return []string{fail(i18n.T("%s could not be checked: %s", name, termtext.Line(d.err.Error())))}
		}
	case actRemove:
		return h.removedLines(d, w)
	case actRenew:
		r := d.renewal
		switch {
		case d.err == nil && r.Outcome == provision.OutcomeRenewed && r.Result != nil && r.Result.Issued != nil:
			leaf := r.Result.Issued.Leaf
			lines := []string{ok(i18n.T("%s renewed: the new certificate (serial %s) is served, valid until %s.", name, leaf.SerialNumber.Text(16), leaf.NotAfter.UTC().Format("2006-01-02")))}
			if r.HookErr != nil {
				lines = append(lines, ui.Paint(t.Warn, ui.Hang(ui.MarkWarn+" ", termtext.Line(r.HookErr.Error()), w)))
			}
			return lines
		case d.err == nil && r.Warning != "":
			return []string{ui.Paint(t.Warn, ui.Hang(ui.MarkWarn+" ", termtext.Line(r.Warning), w))}
		case d.err == nil:
			return []string{ui.Hang(t.Muted.Render(ui.MarkTodo)+" ", i18n.T("%s was not renewed: it serves a certificate httpsify cannot renew.", name), w)}
		default:
			return []string{fail(i18n.T("%s was not renewed; the old certificate is still served: %s", name, termtext.Line(oneParagraph(d.err.Error()))))}
		}
	}
	if d.err != nil {
		return []string{fail(termtext.Line(d.err.Error()))}
	}
	return nil
}

// failedChecks names the checks that failed, with what was seen.
func failedChecks(checks []provision.Check) string {
	var out []string
	for _, c := range checks {
		if !c.OK && !c.Warn {
			out = append(out, termtext.Line(c.Line()))
		}
	}
	return strings.Join(out, "; ")
}

func (h *Home) View(w, hgt int) string {
	t := h.st.Theme
	if h.loadErr != nil {
		return ui.Paint(t.Fail, ui.Hang(ui.MarkFail+" ", i18n.T("The managed sites cannot be read: %s", termtext.Line(h.loadErr.Error())), w))
	}
	if h.rm != nil {
		return h.removeView(w, hgt)
	}
	if len(h.statuses) == 0 {
		lines := append(h.outcomeLines(h.outcome, w), "", i18n.T("No sites are managed here any more. Press a to add one."))
		return strings.TrimLeft(strings.Join(lines, "\n"), "\n")
	}
	table := h.table(w)
	// Below the table: what the action shows, else the site's details;
	// the action bar stays on the last line.
	var below []string
	switch {
	case h.running != "":
		below = eventLines(t, h.st.since(h.from), h.spin.View(), false, w)
	case h.outcome != nil:
		below = append(eventLines(t, h.st.since(h.from), "", false, w), "")
		below = append(below, strings.Split(h.outcomeText(w), "\n")...)
	default:
		below = h.details(w)
	}
	room := max(hgt-len(table)-3, 1)
	if len(below) > room {
		if h.running != "" || h.outcome != nil {
			below = ui.Tail(below, room) // the newest lines and the verdict
		} else {
			below = append(below[:room-1], t.Muted.Render("  "+ui.MarkMore))
		}
	}
	lines := append(append(table, ""), below...)
	if bar := h.actionBar(w); bar != "" {
		lines = append(lines, "", bar)
	}
	return strings.Join(lines, "\n")
}

// table is the header row and one row a site, the selected one marked;
// a long list scrolls to keep the cursor in view.
func (h *Home) table(w int) []string {
	t := h.st.Theme
	cols := tableColumns(w)
	head := "  " + cols.row(i18n.T("SITE"), i18n.T("CERTIFICATE"), i18n.T("EXPIRES"), i18n.T("RENEWS"), i18n.T("LAST RUN"))
	out := []string{t.Muted.Render(head)}
	const maxRows = 6
	first, sel := 0, 0
	for i, s := range h.statuses {
		if s.Name == h.site.Value() {
			sel = i
		}
	}
	if sel >= maxRows {
		first = sel - maxRows + 1
	}
	for i := first; i < len(h.statuses) && i < first+maxRows; i++ {
		s := h.statuses[i]
		cursor, mark := " ", " "
		if s.Attention {
			mark = t.Warn.Render(ui.MarkWarn)
		}
		row := cols.row(siteCells(s, h.st.now())...)
		if i == sel {
			cursor, row = t.Cursor.Render(">"), t.Selected.Render(row)
		}
		out = append(out, cursor+mark+row)
	}
	if n := len(h.statuses) - first - maxRows; n > 0 {
		out = append(out, t.Muted.Render(i18n.T("  … %d more (↓)", n)))
	}
	return out
}

// details are the selected site's names, certificate, config file and
// warnings: everything read from disk is cleaned.
func (h *Home) details(w int) []string {
	s := h.selected()
	if s == nil {
		return nil
	}
	lines := h.siteDetails(s, w)
	if h.outcome != nil && h.outcome.err != nil && h.outcome.action == actChange {
		lines = append(lines, h.outcomeLines(h.outcome, w)...)
	}
	return lines
}

// siteDetails are one site's names, certificate, config, last run and
// warnings.
func (h *Home) siteDetails(s *provision.SiteStatus, w int) []string {
	t := h.st.Theme
	lines := []string{ui.Hang("", t.Bold.Render(termtext.Line(strings.Join(s.Names, ", "))), w)}
	lines = append(lines, strings.Split(ui.Hang("  ", termtext.Line(certificateLine(*s)), w), "\n")...)
	if s.ConfigFile != "" {
		lines = append(lines, ui.Hang("  ", i18n.T("config: %s", termtext.Line(s.ConfigFile)), w))
	}
	// A failed last run is said by its warning below.
	if r := s.LastRun; r != nil && r.OK {
		lines = append(lines, ui.Hang("  ", i18n.T("last run: %s on %s, ok", r.Action, r.Time.UTC().Format("2006-01-02 15:04 UTC")), w))
	}
	for _, warn := range s.Warnings {
		lines = append(lines, strings.Split(ui.Paint(t.Warn, ui.Hang("  "+ui.MarkWarn+" ", termtext.Line(oneParagraph(warn.Message)), w)), "\n")...)
	}
	return lines
}

// actionBar lists the actions with the highlighted one marked.
func (h *Home) actionBar(w int) string {
	t := h.st.Theme
	if h.running != "" || h.outcome != nil && h.outcome.action != actChange {
		return ""
	}
	bar := func(short bool) string {
		var parts []string
		for _, a := range h.homeActions() {
			label := a.key.Help().Key + " " + i18n.Tr(a.label)
			if short { // the words alone: the footer and help list the keys
				label = strings.Fields(i18n.Tr(a.label))[0]
			}
			if a.value == h.action.Value() {
				parts = append(parts, t.Cursor.Render("▸ ")+t.Selected.Render(label))
			} else {
				parts = append(parts, "  "+label)
			}
		}
		return strings.Join(parts, " ")
	}
	if b := bar(false); ansi.StringWidth(b) <= w {
		return b
	}
	return ui.Fit(bar(true), w, 1)
}

// columns are the table's widths; narrow terminals drop the certificate
// column, then the renewal one.
type columns struct{ name, cert, expires, renews, last int }

func tableColumns(w int) columns {
	c := columns{cert: 15, expires: 14, renews: 10, last: 9}
	fixed := func() int {
		n := 2 + 2 + c.expires + 2 + c.last
		if c.cert > 0 {
			n += c.cert + 2
		}
		if c.renews > 0 {
			n += c.renews + 2
		}
		return n
	}
	if w-fixed() < 20 {
		c.cert = 0
	}
	if w-fixed() < 16 {
		c.renews = 0
	}
	c.name = max(w-fixed(), 8)
	return c
}

// row lays the cells (site, certificate, expires, renews, last) out.
func (c columns) row(cells ...string) string {
	var b strings.Builder
	cell := func(s string, n int) {
		b.WriteString(padCut(s, n) + "  ")
	}
	cell(cells[0], c.name)
	if c.cert > 0 {
		cell(cells[1], c.cert)
	}
	cell(cells[2], c.expires)
	if c.renews > 0 {
		cell(cells[3], c.renews)
	}
	b.WriteString(padCut(cells[4], c.last))
	return strings.TrimRight(b.String(), " ")
}

// padCut pads s to n cells, or cuts it with an ellipsis.
func padCut(s string, n int) string {
	// Display cells, not runes: a CJK character takes two.
	if ansi.StringWidth(s) > n {
		return i18n.PadRight(ansi.Truncate(s, n-1, "")+"…", n)
	}
	return i18n.PadRight(s, n)
}

// siteCells are a site's table cells, cleaned.
func siteCells(s provision.SiteStatus, now time.Time) []string {
	expires, renews := i18n.T("unknown"), "-"
	if s.NotAfter != nil {
		left := s.NotAfter.Sub(now)
		switch {
		case left <= 0:
			expires = i18n.T("%s gone", s.NotAfter.Format("2006-01-02"))
		default:
			expires = i18n.T("%s %dd", s.NotAfter.Format("2006-01-02"), int(left.Hours()/24))
		}
	}
	if s.NextRenewal != nil {
		renews = s.NextRenewal.Format("2006-01-02")
		if s.RenewalDue {
			renews = i18n.T("due now")
		}
	}
	if s.Source == provision.CertSourceUploaded {
		renews = i18n.T("by hand")
	}
	last := i18n.T("never")
	if r := s.LastRun; r != nil {
		last = ui.MarkOK + " " + string(r.Action)
		if !r.OK {
			last = ui.MarkFail + " " + string(r.Action)
		}
	}
	return []string{termtext.Line(s.Name), termtext.Line(certSource(s)), expires, renews, last}
}

// certSource is the CA's name (or its host), or "uploaded".
func certSource(s provision.SiteStatus) string {
	if s.Source == provision.CertSourceUploaded {
		return i18n.T("uploaded")
	}
	if ca, ok := acme.ByDirectory(s.CA); ok {
		return ca.Name
	}
	if u, err := url.Parse(s.CA); err == nil && u.Host != "" {
		return u.Host
	}
	return s.CA
}

// certificateLine is where the certificate comes from and lives.
func certificateLine(s provision.SiteStatus) string {
	if s.Source == provision.CertSourceUploaded {
		return i18n.T("certificate: your own (uploaded), at %s", s.CertDir)
	}
	l := i18n.T("certificate: %s", certSource(s))
	if s.Challenge != "" {
		l += " (" + s.Challenge + ")"
	}
	if s.CertDir != "" {
		l += i18n.T(", at %s", s.CertDir)
	}
	if s.RenewalRule == "ari" {
		l += i18n.T("; renewal time from the CA's window (ARI)")
	}
	return l
}

// siteRowPlain is a site in one line, for the line prompts' choice.
func siteRowPlain(s provision.SiteStatus, now time.Time) string {
	c := siteCells(s, now)
	if s.NotAfter != nil {
		c[2] = i18n.T("expires %s", c[2])
	}
	l := i18n.T("%s: %s, %s, renews %s, last run %s", c[0], c[1], c[2], c[3], c[4])
	if s.Attention {
		l += i18n.T(" (needs attention)")
	}
	return l
}
