package steps

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/validate"
	"github.com/httpsify/httpsify/ui"
)

// Site (step 2) picks the site and its names and app, checked as they are
// typed with the engine's own validators, and looks the names up in DNS
// in the background: a warning, never a wall.
type Site struct {
	st    *State
	sites []site
	form  *ui.Form
	pick  *ui.Field // nil when nothing was detected
	names *ui.Field
	app   *ui.Field

	picked  string // the pick value the fields were last filled from
	planErr error

	warned  string   // the app address the warnings below are about
	appWarn []string // nothing answers there (said once, then Enter goes on)

	dnsFor string // the names the answers are for
	dnsSeq int
	dns    []provision.DNSAnswer
}

type dnsTick struct{ seq int }
type dnsDone struct {
	seq int
	ans []provision.DNSAnswer
}

// dnsDelay lets typing settle before names are looked up.
const dnsDelay = 400 * time.Millisecond

const otherSite = "other"

func NewSite(st *State) *Site { return &Site{st: st} }

func (s *Site) Title() string { return i18n.T("Site and domain") }

// Enter rebuilds the form from the answers so far (forms are not reused).
func (s *Site) Enter() tea.Cmd {
	st := s.st
	s.sites, s.planErr = sites(st.Detection), nil
	s.names = ui.NewText(i18n.N("Domain names"), strings.Join(st.Opts.Domains, ", "))
	s.names.Hint = i18n.N("Comma-separated; the first is the main name. Each must point to this server in DNS.")
	s.names.Placeholder = "example.com, www.example.com"
	s.names.Check = checkNames
	s.app = ui.NewText(i18n.N("Your app (where nginx sends requests)"), st.Opts.Upstream)
	s.app.Hint = i18n.N("unix:/path/to/app.sock, 127.0.0.1:8000 or http://host:port")
	s.app.Check = checkUpstream
	fields := []*ui.Field{s.names, s.app}
	s.pick = nil
	if len(s.sites) > 0 {
		var opts []ui.Option
		for i, x := range s.sites {
			opts = append(opts, ui.Option{Label: siteLabel(x), Value: strconv.Itoa(i), Short: strings.Join(x.Names, " ")})
		}
		opts = append(opts, ui.Option{Label: i18n.N("Another site: type its names and app"), Value: otherSite, Short: i18n.N("another site")})
		s.pick = ui.NewChoice(i18n.N("Which site should get HTTPS?"), s.matching(st.Opts.Domains), opts...)
		fields = append([]*ui.Field{s.pick}, fields...)
		s.picked = ""
		if len(st.Opts.Domains) > 0 {
			s.picked = s.pick.Value() // answers given: keep them
		}
	}
	s.form = ui.NewForm(st.Theme, st.Keys, fields...)
	if x := s.chosen(); x != nil && s.picked != "" && st.Opts.Upstream == "" {
		s.app.SetValue(x.App) // names given as flags, app from the site
	}
	if d := st.takeDraft(s.Title()); d != nil {
		s.form.Restore(d) // back here after going back: what was typed
		if s.pick != nil {
			s.picked = s.pick.Value()
		}
	}
	return tea.Batch(s.form.Init(), s.refresh())
}

// matching finds the site with exactly these names ("" picks the first).
func (s *Site) matching(names []string) string {
	if len(names) == 0 {
		return "0"
	}
	for i, x := range s.sites {
		if strings.Join(x.Names, " ") == strings.Join(names, " ") {
			return strconv.Itoa(i)
		}
	}
	return otherSite
}

func (s *Site) chosen() *site {
	if s.pick == nil || s.pick.Value() == otherSite {
		return nil
	}
	i, _ := strconv.Atoi(s.pick.Value())
	return &s.sites[i]
}

// refresh refills names and app when another site is picked, adjusts what
// is required, and schedules a DNS lookup when the names changed.
func (s *Site) refresh() tea.Cmd {
	if s.pick != nil && s.pick.Value() != s.picked {
		s.picked = s.pick.Value()
		if x := s.chosen(); x != nil {
			s.names.SetValue(strings.Join(x.Names, ", "))
			s.app.SetValue(x.App)
		} else {
			s.names.SetValue("")
			s.app.SetValue("")
		}
	}
	// A detected site keeps its own locations when no app is given.
	s.app.Optional = s.chosen() != nil
	names, err := splitNames(s.names.Value())
	want := strings.Join(names, " ")
	if err != nil || want == s.dnsFor {
		if err != nil {
			s.dnsFor, s.dns = "", nil
		}
		return nil
	}
	s.dnsFor, s.dns = want, nil
	s.dnsSeq++
	seq := s.dnsSeq
	return tea.Tick(dnsDelay, func(time.Time) tea.Msg { return dnsTick{seq} })
}

func (s *Site) lookup(seq int, names []string) tea.Cmd {
	st := s.st
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(st.Ctx, 5*time.Second)
		defer cancel()
		local, _ := st.LocalAddrs()
		return dnsDone{seq, provision.CheckDNS(ctx, st.Lookup, local, names)}
	}
}

func (s *Site) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case dnsTick:
		if msg.seq == s.dnsSeq && s.dnsFor != "" {
			return s.lookup(msg.seq, strings.Fields(s.dnsFor))
		}
		return nil
	case dnsDone:
		if msg.seq == s.dnsSeq {
			s.dns = msg.ans
		}
		return nil
	case tea.KeyMsg:
		if key.Matches(msg, s.st.Keys.Back) {
			s.st.keepDraft(s.Title(), s.form)
			return ui.Back(1)
		}
		s.planErr = nil
		cmd, submitted := s.form.Update(msg)
		if submitted {
			return s.submit()
		}
		return tea.Batch(cmd, s.refresh())
	}
	cmd, _ := s.form.Update(msg)
	return cmd
}

// submit keeps the answers and builds the plan right away, so what the
// engine refuses (a block that also serves other names, a new site
// without an app) is shown here, next to the field to fix.
func (s *Site) submit() tea.Cmd { return submitForm(s.form, s.commit, &s.planErr) }

// commit stores valid answers in the state; on a refusal it names the
// field to fix, if any.
func (s *Site) commit() (string, *ui.Field, error) {
	st := s.st
	names, err := splitNames(s.names.Value())
	if err != nil {
		return "", s.names, err
	}
	o := st.Opts
	o.Domains, o.Upstream = names, s.app.Value()
	set, err := st.wildcardAware(&o).Validate()
	var plan *provision.Plan
	if err == nil {
		plan, err = provision.BuildPlan(st.Detection, set)
	}
	var appWarn []string
	if err == nil && o.Upstream != "" {
		// Probe the app now: a typo for a working socket is refused
		// here, next to the field, naming both addresses.
		n := len(plan.Warnings)
		probe := st.CheckApp
		if probe == nil {
			probe = provision.CheckApp
		}
		err = probe(plan)
		if err == nil {
			for _, w := range plan.Warnings[n:] {
				if w != set.Upstream.Note { // shown under the field already
					appWarn = append(appWarn, w)
				}
			}
		}
	}
	if err == nil && len(appWarn) > 0 && s.warned != o.Upstream {
		// Nothing answers there: said plainly once; Enter again goes on
		// (an app not started yet is fine).
		s.warned, s.appWarn = o.Upstream, appWarn
		held := &warnedOnce{}
		for _, w := range appWarn {
			held.lines = append(held.lines, w+i18n.T(" (going on: an app not started yet is fine)"))
		}
		return "", nil, held
	}
	if err != nil {
		var fe *provision.FieldError
		if errors.As(err, &fe) {
			switch fe.Field {
			case provision.FlagDomain:
				return "", s.names, err
			case provision.FlagUpstream:
				return "", s.app, err
			}
		}
		return "", nil, err
	}
	st.Opts, st.AppWarnings = o, appWarn
	sum := strings.Join(names, ", ")
	if o.Upstream != "" {
		sum += " → " + set.Upstream.String()
	}
	if len(appWarn) > 0 {
		sum += i18n.T(" (not answering yet)")
	}
	return sum, nil, nil
}

// Questions: the site (when any was detected), then names and app.
func (s *Site) Questions() []*ui.Field {
	if s.pick == nil {
		return []*ui.Field{s.names, s.app}
	}
	return []*ui.Field{s.pick, s.names, s.app}
}

// Answered refills names and app from the picked site, and looks the
// names up in DNS once the app is asked too.
func (s *Site) Answered(f *ui.Field) []string {
	switch f {
	case s.pick:
		s.refresh()
	case s.app:
		names, _ := splitNames(s.names.Value())
		local, _ := s.st.LocalAddrs()
		ctx, cancel := context.WithTimeout(s.st.Ctx, 5*time.Second)
		defer cancel()
		var lines []string
		for _, a := range provision.CheckDNS(ctx, s.st.Lookup, local, names) {
			mark := ui.MarkWarn
			switch a.Verdict {
			case provision.DNSHere:
				mark = ui.MarkOK
			case provision.DNSBehindNAT:
				mark = ui.MarkTodo
			}
			lines = append(lines, ui.Hang("DNS "+mark+" ", a.Explain(s.st.Base.HTTPPort), plainWidth))
		}
		return lines
	}
	return nil
}

func (s *Site) Submit() (string, *ui.Field, error) { return s.commit() }

// errAppWarned holds the step once to show that nothing answers at the
// app address; it is shown as a warning, not as a refusal.
var errAppWarned = errors.New(i18n.N("nothing answers at the app address"))

// Typing: "?" is not offered as help while a text field has focus.
func (s *Site) Typing() bool { return s.form != nil && s.form.Typing() }

func (s *Site) Keys() []key.Binding {
	k := s.st.Keys
	keys := []key.Binding{withHelp(k.Next, "enter", i18n.N("next"))}
	if f := s.form.Focused(); f != nil && f.Kind == ui.ChoiceField {
		keys = append(keys, withHelp(k.Up, "↑/↓", i18n.N("choose")))
	}
	return append(keys, withHelp(k.PrevField, "shift+tab", i18n.N("previous")), k.Back)
}

func (s *Site) Help() string {
	return i18n.T("Pick the site nginx already serves, or type the names for a new one. The names go on one certificate; each must resolve to this server so the CA can reach it on the HTTP port. The app is where nginx forwards requests (a gunicorn socket, a port). Nothing is changed yet.")
}

func (s *Site) View(w, h int) string {
	t := s.st.Theme
	var b strings.Builder
	b.WriteString(s.form.View(w))
	switch {
	case errors.Is(s.planErr, errAppWarned):
		for _, warn := range s.appWarn {
			b.WriteString("\n\n" + ui.Paint(t.Warn, ui.Hang(ui.MarkWarn+" ", warn, w)))
		}
		b.WriteString("\n" + ui.Paint(t.Muted, ui.Hang("  ", i18n.T("Press enter to go on anyway (an app not started yet is fine), or fix the address."), w)))
	case s.planErr != nil:
		b.WriteString("\n\n" + ui.Paint(t.Fail, ui.Hang(ui.MarkFail+" ", planMessage(s.planErr), w)))
	}
	if s.dnsFor != "" {
		b.WriteString("\n\n" + t.Title.Render("DNS") + "\n")
		if s.dns == nil {
			b.WriteString(t.Muted.Render(i18n.T("  looking up %s…", strings.ReplaceAll(s.dnsFor, " ", ", "))))
		}
		for i, a := range s.dns {
			mark := t.Warn.Render(ui.MarkWarn)
			switch a.Verdict {
			case provision.DNSHere:
				mark = t.OK.Render(ui.MarkOK)
			case provision.DNSBehindNAT:
				mark = t.Muted.Render(ui.MarkTodo) // cannot tell from here; not a warning
			}
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(ui.Hang("  "+mark+" ", a.Explain(s.st.Base.HTTPPort), w))
		}
	}
	return b.String()
}

// planMessage drops the flag name from an engine refusal: in the wizard
// the field is right above.
func planMessage(err error) string {
	var fe *provision.FieldError
	if errors.As(err, &fe) {
		return fe.Err.Error()
	}
	return err.Error()
}

func splitNames(v string) ([]string, error) {
	f := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(f) == 0 {
		return nil, i18n.Errorf("type at least one domain name")
	}
	return validate.Domains(f, true) // a wildcard leads to DNS-01 (wildcardAware)
}

func checkNames(v string) (string, error) {
	names, err := splitNames(v)
	if err != nil {
		return "", err
	}
	return i18n.T("certificate for %s", strings.Join(names, ", ")), nil
}

func checkUpstream(v string) (string, error) {
	u, err := validate.ParseUpstream(v)
	if err != nil {
		return "", err
	}
	if u.Note != "" {
		return u.Note, nil
	}
	return i18n.T("nginx will proxy to %s", u.NginxProxyPass()), nil
}
