package steps

import (
	"errors"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/ui"
)

// Confirm (step 7) names every file to write and where the originals go,
// asks with No as the default, then starts the engine's Deploy and shows
// nginx -t's own verdict. Deploy is one transaction: it finishes or rolls
// back, and Ctrl+C only asks to quit once it is over.
type Confirm struct {
	st     *State
	spin   spinner.Model
	nudged bool // Enter was pressed on the default No
}

type deployDone struct {
	res *provision.Result
	err error
}

func NewConfirm(st *State) *Confirm { return &Confirm{st: st, spin: newSpinner(st.Theme)} }

func (c *Confirm) Title() string { return i18n.T("Confirm and check") }

func (c *Confirm) Enter() tea.Cmd {
	c.nudged = false
	if c.st.deploy.running {
		return tea.Batch(c.st.Feed.Next(), c.spin.Tick)
	}
	c.st.deploy = deployRun{}
	return nil
}

func (c *Confirm) started() bool { return c.st.deploy.running || c.st.deploy.err != nil }

func (c *Confirm) Update(msg tea.Msg) tea.Cmd {
	st, k := c.st, c.st.Keys
	switch msg := msg.(type) {
	case EventMsg:
		st.record(msg.Event)
		e := msg.Event
		// nginx accepted the files (or none were needed): the rest of the
		// run belongs to the next step, which keeps reading the feed.
		switch {
		case e.Phase == provision.PhaseCheck && e.Kind == provision.KindOK:
			st.deploy.handover = len(st.Log)
			return ui.Next(c.checked())
		case phaseIn(e, provision.PhaseReload, provision.PhaseVerify):
			st.deploy.handover = len(st.Log) - 1
			return ui.Next(c.checked())
		}
		return st.Feed.Next()
	case tea.KeyMsg:
		switch {
		case st.deploy.running:
		case key.Matches(msg, k.Back, k.No):
			st.deploy = deployRun{}
			return ui.Back(1)
		case c.started():
		case key.Matches(msg, k.Yes):
			return c.start()
		case key.Matches(msg, k.Next):
			c.nudged = true
		}
	default:
		return st.updateDeployRun(msg, &c.spin)
	}
	return nil
}

// updateDeployRun handles what both deploy steps see while Deploy runs:
// its result, an interrupt and the spinner.
func (st *State) updateDeployRun(msg tea.Msg, spin *spinner.Model) tea.Cmd {
	switch msg := msg.(type) {
	case deployDone:
		return st.deployFinished(msg)
	case ui.InterruptMsg:
		st.deploy.quitAfter = true
	case spinner.TickMsg:
		if st.deploy.running {
			var cmd tea.Cmd
			*spin, cmd = spin.Update(msg)
			return cmd
		}
	}
	return nil
}

// start runs Deploy with the plan the preview showed.
func (c *Confirm) start() tea.Cmd {
	st := c.st
	st.deploy = deployRun{running: true, from: len(st.Log)}
	plan, iss := st.Plan, st.Issued
	st.Feed.Go(func() tea.Msg {
		res, err := st.Engine.Deploy(st.Ctx, plan, iss)
		return deployDone{res, err}
	})
	return tea.Batch(st.Feed.Next(), c.spin.Tick)
}

// checked is the ✓ line: nginx -t's verdict in its own words.
func (c *Confirm) checked() string {
	for _, e := range c.st.since(c.st.deploy.from) {
		if e.Phase == provision.PhaseCheck && e.Kind == provision.KindOK {
			if _, verdict, ok := strings.Cut(e.Message, " test "); ok {
				return "nginx -t: test " + verdict
			}
			return "nginx -t: " + e.Message
		}
	}
	return i18n.T("no configuration change needed")
}

// deployFinished records the outcome for whichever step has the feed.
func (st *State) deployFinished(msg deployDone) tea.Cmd {
	d := &st.deploy
	d.running, d.err = false, msg.err
	if msg.err == nil {
		st.Result = msg.res
	}
	if !d.quitAfter {
		return nil
	}
	if msg.err != nil {
		return ui.Quit(1, i18n.T("The change failed and was rolled back: every file is as before and nginx runs its old configuration.")+st.keptNote()+"\n"+msg.err.Error())
	}
	return ui.Quit(0, SummaryText(st, ui.DefaultWidth, false))
}

func (c *Confirm) Busy() string {
	if !c.st.deploy.running {
		return ""
	}
	return i18n.T("nginx is being changed; this finishes or rolls back within seconds. Quit then?")
}

func (c *Confirm) Keys() []key.Binding {
	k := c.st.Keys
	switch {
	case c.st.deploy.running:
		return nil
	case c.started():
		return []key.Binding{withHelp(k.Back, "esc", i18n.N("back to the preview"))}
	}
	return []key.Binding{withHelp(k.Yes, "y", i18n.N("apply")), withHelp(k.No, "n/esc", i18n.N("back to the preview"))}
}

func (c *Confirm) Help() string {
	return i18n.T("Saying yes writes the files listed, after copying each original to the backup directory, then runs nginx -t. If nginx refuses the configuration, every file is put back byte for byte and nothing else happens.")
}

func (c *Confirm) View(w, h int) string {
	st, t := c.st, c.st.Theme
	if c.started() {
		return c.progressView(w, h)
	}
	s := st.Settings
	link := certLink(st)
	if len(st.Plan.Files) == 0 && link == "" {
		return ui.Hang("", i18n.T("Nothing needs to be written: nginx already serves this site as planned, with the installed certificate."), w) + "\n\n" +
			t.Bold.Render(i18n.T("Check the site now, as a browser would?")) + "  " + t.Key.Render("y/N")
	}
	var b strings.Builder
	b.WriteString(ui.Hang("", i18n.T("These files will be written. Each original is copied first to %s.", s.Layout().Backups()+"/"), w) + "\n")
	for _, f := range st.Plan.Files {
		b.WriteString("  " + ui.PadRight(verb(f), 7) + f.Path + "\n")
		why := f.Why
		if f.Symlink != "" {
			why = "→ " + f.Symlink
		}
		if why != "" {
			b.WriteString(ui.Paint(t.Muted, ui.Hang("         ", why, w)) + "\n")
		}
	}
	if link != "" {
		b.WriteString("  " + ui.PadRight(i18n.T("link"), 7) + s.CertDir + "\n")
		b.WriteString(ui.Paint(t.Muted, ui.Hang("         ", i18n.T("→ the new certificate, version %s", filepath.Base(link)), w)) + "\n")
	}
	for _, warn := range st.Plan.Warnings {
		b.WriteString(ui.Hang(t.Warn.Render(ui.MarkWarn)+" ", warn, w) + "\n")
	}
	if note := st.Plan.CertbotNote(); note != "" {
		// A certbot site: say before anything happens what becomes of
		// certbot's renewal of it.
		b.WriteString(ui.Hang(t.Warn.Render(ui.MarkWarn)+" ", note, w) + "\n")
	}
	b.WriteString(i18n.T("Then:") + "\n")
	for _, cmd := range st.Plan.Commands() {
		b.WriteString(ui.Paint(t.Code, ui.Hang("  ", strings.Join(cmd, " "), w)) + "\n")
	}
	b.WriteString(ui.Paint(t.Muted, ui.Hang("", i18n.T("If the check or the verification fails, every file is put back and nginx reloaded with the old configuration."), w)) + "\n")
	if sp, ok := st.Engine.(schedulePlanner); ok {
		if line := sp.PlannedSchedule(); line != "" {
			b.WriteString(ui.Hang("", line, w) + "\n")
		}
	}
	q := "\n" + t.Bold.Render(i18n.T("Apply these changes?")) + "  " + t.Key.Render("y/N")
	if c.nudged {
		q += "\n" + ui.Paint(t.Warn, ui.Hang("", i18n.T("Nothing written. Press y to apply, or n/esc to go back to the preview."), w))
	}
	return fitAbove(strings.TrimSuffix(b.String(), "\n"), q, h)
}

// fitAbove keeps the question whole on a short screen: the text above it
// is cut, saying so, rather than the question scrolling away.
func fitAbove(body, question string, h int) string {
	lines, q := strings.Split(body, "\n"), strings.Split(question, "\n")
	if h > 0 && len(lines)+len(q) > h {
		keep := max(h-len(q)-1, 1)
		lines = append(lines[:keep:keep], i18n.T("… (the preview shows every change)"))
	}
	return strings.Join(append(lines, q...), "\n")
}

func (c *Confirm) progressView(w, h int) string {
	st, t := c.st, c.st.Theme
	d := st.deploy
	spin := ""
	if d.running {
		spin = c.spin.View()
	}
	lines := []string{i18n.T("Writing the files and checking them with nginx -t"), ""}
	lines = append(lines, eventLines(t, st.since(d.from), spin, false, w)...)
	if d.err == nil {
		return strings.Join(ui.Tail(lines, h), "\n")
	}
	fail := func(s string) string { return ui.Hang(t.Fail.Render(ui.MarkFail)+" ", t.Bold.Render(s), w) }
	tail := []string{""}
	var ce *provision.CheckError
	if errors.As(d.err, &ce) {
		// nginx's own words are in the failed event above.
		tail = append(tail, fail(i18n.T("nginx refused the new configuration, so nothing was changed: every file was put back and nginx keeps its old configuration.")))
	} else {
		tail = append(tail, fail(i18n.T("The change could not be made, so nothing was changed.")), ui.Hang("  ", d.err.Error(), w))
	}
	return strings.Join(ui.Tail(append(lines, tail...), h), "\n")
}

// certLink is the version the certificate link will point to, or "" when
// it already does.
func certLink(st *State) string {
	if st.Issued == nil {
		return ""
	}
	if st.Plan.CurrentCert == st.Issued.VersionDir {
		return ""
	}
	return st.Issued.VersionDir
}

// schedulePlanner is an engine that installs the renewal schedule after
// a verified deploy and can say what it will install (provision.Session).
type schedulePlanner interface{ PlannedSchedule() string }
