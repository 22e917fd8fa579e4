package steps

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/ui"
)

// Preflight (step 1) shows what is on this machine before any question:
// the web server, its sites, who holds the HTTP/HTTPS ports and the
// certificates httpsify already manages.
type Preflight struct {
	st      *State
	spin    spinner.Model
	running bool
	err     error
}

type preflightDone struct {
	d   *provision.Detection
	pre *provision.Preflight
	err error
}

func NewPreflight(st *State) *Preflight { return &Preflight{st: st, spin: newSpinner(st.Theme)} }

func (p *Preflight) Title() string { return i18n.T("Preflight") }

func (p *Preflight) Enter() tea.Cmd {
	if p.st.Detection != nil || p.err != nil || p.running {
		return nil
	}
	p.running = true
	st := p.st
	st.Feed.Go(func() tea.Msg {
		d, err := st.Engine.Detect(st.Ctx)
		pre := st.Preflight(st.Base)
		return preflightDone{d, pre, err}
	})
	return tea.Batch(st.Feed.Next(), p.spin.Tick)
}

func (p *Preflight) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case EventMsg:
		p.st.record(msg.Event)
		return p.st.Feed.Next()
	case preflightDone:
		p.running = false
		p.st.Detection, p.st.Pre, p.err = msg.d, msg.pre, msg.err
		if p.clean() {
			// Nothing to read closely: its ✓ line says what was found.
			return ui.Next(p.summary())
		}
	case spinner.TickMsg:
		if p.running {
			var cmd tea.Cmd
			p.spin, cmd = p.spin.Update(msg)
			return cmd
		}
	case tea.KeyMsg:
		if p.running || !key.Matches(msg, p.st.Keys.Next) {
			return nil
		}
		if p.err != nil {
			return ui.Quit(1, "httpsify: "+p.err.Error()+"\n"+i18n.T("Nothing was changed."))
		}
		return ui.Next(p.summary())
	}
	return nil
}

// clean: nginx was read without a warning and the ports are nginx's or
// free, so the step needs no attention and moves on by itself.
func (p *Preflight) clean() bool {
	st := p.st
	if p.err != nil || st.Detection == nil || st.Pre == nil {
		return false
	}
	for _, e := range st.Log {
		if e.Kind == provision.KindWarn || e.Kind == provision.KindFail {
			return false
		}
	}
	for _, u := range []provision.PortUse{st.Pre.HTTP, st.Pre.HTTPS} {
		if u.Listening && u.Process != "nginx" {
			return false
		}
	}
	for _, c := range st.Pre.Certs {
		if c.Err != nil {
			return false
		}
	}
	return true
}

func (p *Preflight) Keys() []key.Binding {
	if p.running {
		return nil
	}
	if p.err != nil {
		return []key.Binding{withHelp(p.st.Keys.Next, "enter", i18n.N("quit"))}
	}
	return []key.Binding{withHelp(p.st.Keys.Next, "enter", i18n.N("choose the site"))}
}

func (p *Preflight) Help() string {
	return i18n.T("httpsify has only read the nginx configuration (nginx -T) and looked at the ports. Nothing has been changed.")
}

func (p *Preflight) summary() string {
	d, pre := p.st.Detection, p.st.Pre
	parts := []string{fmt.Sprintf("nginx %s %s", d.Version, runState(d))}
	parts = append(parts, plural(len(sites(d)), i18n.N("site"), i18n.N("sites")))
	if pre != nil {
		parts = append(parts, portShort(pre.HTTP), portShort(pre.HTTPS))
	}
	return strings.Join(parts, " · ")
}

func (p *Preflight) View(w, h int) string {
	t, st := p.st.Theme, p.st
	if p.running {
		lines := []string{t.Accent.Render(p.spin.View()) + " " + i18n.T("Looking at nginx and the ports…"), ""}
		return strings.Join(append(lines, eventLines(t, st.Log, "", false, w)...), "\n")
	}
	if p.err != nil {
		return t.Fail.Render(ui.MarkFail+" "+i18n.T("httpsify cannot work with this web server yet")) + "\n\n" +
			ui.Hang("  ", p.err.Error(), w) + "\n\n" +
			ui.Hang("", i18n.T("Nothing was changed. Fix the problem above and run httpsify again."), w)
	}
	d, pre := st.Detection, st.Pre
	var b strings.Builder
	b.WriteString(t.Title.Render(i18n.T("Web server")) + "\n")
	b.WriteString(ui.Hang("  "+t.OK.Render(ui.MarkOK)+" ", i18n.T("%s %s, %s, config %s", d.Name, d.Version, runState(d), d.Conf), w) + "\n")
	for _, e := range st.Log {
		if e.Kind == provision.KindWarn || e.Kind == provision.KindFail {
			b.WriteString(ui.Hang("  "+t.Warn.Render(ui.MarkWarn)+" ", e.Message, w) + "\n")
		}
	}
	b.WriteString("\n" + t.Title.Render(i18n.T("Sites")) + "\n")
	all := sites(d)
	const maxSites = 5
	for i, s := range all {
		if i == maxSites {
			b.WriteString(t.Muted.Render(i18n.T("  … and %d more", len(all)-maxSites)) + "\n")
			break
		}
		b.WriteString(ui.Hang("  ", siteLabel(s)+" "+t.Muted.Render(i18n.T("in %s", shortFile(s.File))), w) + "\n")
	}
	if len(all) == 0 {
		b.WriteString(t.Muted.Render(i18n.T("  none with a domain name yet; you will type one")) + "\n")
	}
	b.WriteString("\n" + t.Title.Render(i18n.T("Ports")) + "\n")
	for _, u := range []provision.PortUse{pre.HTTP, pre.HTTPS} {
		b.WriteString(p.portLine(u, w) + "\n")
	}
	b.WriteString("\n" + t.Title.Render(i18n.T("Certificates httpsify manages")) + "\n")
	if len(pre.Certs) == 0 {
		b.WriteString(t.Muted.Render(i18n.T("  none yet")) + "\n")
	}
	for _, c := range pre.Certs {
		if c.Err != nil {
			b.WriteString(ui.Hang("  "+t.Warn.Render(ui.MarkWarn)+" ", fmt.Sprintf("%s: %v", c.Dir, c.Err), w) + "\n")
			continue
		}
		b.WriteString(ui.Hang("  ", i18n.T("%s, valid until %s %s", strings.Join(c.Names, " "), c.NotAfter.Format("2006-01-02"), t.Muted.Render(i18n.T("in %s", c.Dir))), w) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// portLine says who holds a port and whether that is a problem.
func (p *Preflight) portLine(u provision.PortUse, w int) string {
	t, d := p.st.Theme, p.st.Detection
	name := "HTTP "
	if u.Port == p.st.Base.HTTPSPort {
		name = "HTTPS"
	}
	head := fmt.Sprintf("  %s %-5d ", name, u.Port)
	switch {
	case !u.Listening && name == "HTTP " && !d.Running:
		return ui.Hang(head, i18n.T("free: httpsify answers the CA on it itself, then starts nginx"), w)
	case !u.Listening:
		return head + i18n.T("free")
	case u.Process == "nginx":
		return head + i18n.T("nginx (pid %d)", u.PID)
	case u.Process == "":
		return ui.Hang(head+t.Warn.Render(ui.MarkWarn)+" ", i18n.T("in use by a program httpsify cannot see; if it is not nginx, the CA will not reach nginx"), w)
	}
	return ui.Hang(head+t.Warn.Render(ui.MarkWarn)+" ", i18n.T("in use by %s (pid %d), not nginx: stop it or move it, or nginx cannot serve this port", u.Process, u.PID), w)
}

func runState(d *provision.Detection) string {
	if d.Running {
		return i18n.T("running")
	}
	return i18n.T("not running")
}

func portShort(u provision.PortUse) string {
	switch {
	case !u.Listening:
		return i18n.T(":%d free", u.Port)
	case u.Process == "":
		return i18n.T(":%d in use", u.Port)
	}
	return fmt.Sprintf(":%d %s", u.Port, u.Process)
}
