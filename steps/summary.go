package steps

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/ui"
)

// Summary (step 9) says what changed, how to undo it by hand, when the
// certificate renews, the apply line that repeats this setup, and hints
// for the app. On exit the same text is printed to the scrollback, where
// the commands can be copied.
type Summary struct {
	st   *State
	vp   viewport.Model
	text string // the summary at the current width
	xoff int    // columns panned sideways, for a path wider than the screen
}

func NewSummary(st *State) *Summary { return &Summary{st: st, vp: viewport.New(ui.DefaultWidth, 10)} }

func (s *Summary) Title() string { return i18n.T("Summary") }

func (s *Summary) Enter() tea.Cmd {
	s.text = SummaryText(s.st, s.vp.Width, true)
	s.setContent()
	return nil
}

// setContent shows the summary panned by xoff: a line cut at either edge
// shows "…" there, never a silently shortened path.
func (s *Summary) setContent() {
	var out []string
	for _, l := range strings.Split(s.text, "\n") {
		out = append(out, panLine(l, s.xoff, s.vp.Width))
	}
	y := s.vp.YOffset
	s.vp.SetContent(strings.Join(out, "\n"))
	s.vp.SetYOffset(y)
}

func (s *Summary) widest() int {
	w := 0
	for _, l := range strings.Split(s.text, "\n") {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}

func (s *Summary) Update(msg tea.Msg) tea.Cmd {
	k := s.st.Keys
	switch msg := msg.(type) {
	case ui.SizeMsg:
		s.vp.Width, s.vp.Height = msg.Width, msg.Height
		s.text = SummaryText(s.st, msg.Width, true)
		s.setContent()
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Next):
			return ui.Quit(0, SummaryText(s.st, ui.DefaultWidth, false))
		case key.Matches(msg, k.Up):
			s.vp.ScrollUp(1)
		case key.Matches(msg, k.Down):
			s.vp.ScrollDown(1)
		case key.Matches(msg, k.PageUp):
			s.vp.PageUp()
		case key.Matches(msg, k.PageDown):
			s.vp.PageDown()
		case key.Matches(msg, k.Left):
			s.xoff = max(s.xoff-8, 0)
			s.setContent()
		case key.Matches(msg, k.Right):
			s.xoff = max(min(s.xoff+8, s.widest()-s.vp.Width+1), 0)
			s.setContent()
		}
	}
	return nil
}

func (s *Summary) Keys() []key.Binding {
	k := s.st.Keys
	return []key.Binding{withHelp(k.Next, "enter", i18n.N("finish")), withHelp(k.Up, "↑/↓", i18n.N("scroll")), withHelp(k.Left, "←/→", i18n.N("pan"))}
}

func (s *Summary) View(w, h int) string {
	vp := s.vp
	vp.Width, vp.Height = w, h
	return trimRight(vp.View())
}

// SummaryText is the final report, wrapped to w. On screen a long
// command is broken between words with " \" continuations (copying the
// lines runs the same command); printed at the end it stays one line,
// which the terminal folds but copies whole.
func SummaryText(st *State, w int, wrapCode bool) string {
	t, r, set := st.Theme, st.Result, st.Settings
	if r == nil {
		return ""
	}
	var b strings.Builder
	para := func(s string) { b.WriteString(ui.Hang("  ", s, w) + "\n") }
	item := func(s string) { b.WriteString(ui.Hang("  • ", s, w) + "\n") }
	code := func(s string) {
		if !wrapCode {
			s = "    " + s
		} else {
			s = strings.Join(ui.WrapCommand("    ", "      ", s, w), "\n")
		}
		b.WriteString(ui.Paint(t.Code, s) + "\n")
	}
	head := func(s string) { b.WriteString("\n" + t.Title.Render(s) + "\n") }

	b.WriteString(t.OK.Render(ui.MarkOK) + " " + t.Bold.Render(i18n.T("%s is live", set.SiteURL())) + t.Muted.Render(i18n.T(" (verified from this machine)")) + "\n")
	if len(r.Checks) > 0 {
		head(i18n.T("Checked from this machine"))
		for _, c := range r.Checks {
			mark := t.OK.Render(ui.MarkOK)
			if !c.OK {
				mark = t.Warn.Render(ui.MarkWarn)
			}
			b.WriteString(ui.Hang("  "+mark+" ", c.Line(), w) + "\n")
		}
	}

	head(i18n.T("What changed"))
	if len(r.Changed) == 0 {
		para(i18n.T("Nothing: the site was already as planned."))
	}
	for _, c := range r.Changed {
		para(c)
	}

	if r.BackupDir != "" {
		head(i18n.T("Backups and how to roll back"))
		para(i18n.T("The originals are in %s. To undo by hand:", r.BackupDir))
		for _, c := range r.RollbackCommands() {
			code(c)
		}
	}

	head(i18n.T("Next steps"))
	item(i18n.T("Open port %d (and %d) to the internet in your cloud provider's security group or firewall: httpsify's checks ran from this server itself and cannot see it.", set.HTTPSPort, set.HTTPPort))
	item(i18n.T("Server in mainland China: the domain needs an ICP filing (备案), or the provider blocks the site on ports 80 and 443."))
	wechat := i18n.T("WeChat mini programs: add https://%s to the mini program's request-domain list (request合法域名) in its settings. They need TLS 1.2 or newer and the full certificate chain, which this site serves, and a URL without a port.", set.Primary())
	if set.HTTPSPort != 443 {
		wechat += i18n.T(" This site is on port %d, which mini programs cannot use: serve it on 443.", set.HTTPSPort)
	}
	item(wechat)
	if iss := r.Issued; iss != nil && iss.Leaf != nil && set.Uploaded() {
		item(i18n.T("Your own certificate does not renew itself: it is valid until %s. Before then, get the renewed files from your provider and run the command below again with them (or choose a CA in the wizard, so it renews itself).", iss.Leaf.NotAfter.Format("2006-01-02")))
	}
	if iss := r.Issued; iss != nil && iss.Leaf != nil && r.Scheduled {
		item(i18n.T("Renewal is automatic: %s runs `httpsify renew`, which renews the certificate (valid until %s) from %s on, or earlier when the CA asks; `sudo httpsify renew --dry-run` shows what it would do.", r.Schedule, iss.Leaf.NotAfter.Format("2006-01-02"), r.RenewAt.Format("2006-01-02")))
	} else if iss := r.Issued; iss != nil && iss.Leaf != nil {
		item(i18n.T("Renewal is not automatic yet: nothing on this server renews the certificate by itself, and the CA sends no reminder. It is valid until %s; from %s on, run the command below again: it asks the CA for a new certificate only once the installed one is due, and changes nothing before.", iss.Leaf.NotAfter.Format("2006-01-02"), r.RenewAt.Format("2006-01-02")))
	}

	head(i18n.T("The same setup from a script (renewal, other servers, CI)"))
	code("sudo " + set.ApplyCommand())
	if set.EABKid != "" {
		para(i18n.T("Set EAB_HMAC to the HMAC key first; it is never printed."))
	}

	head(i18n.T("Your app"))
	para(i18n.T("Behind nginx your app sees plain http from nginx. For Flask (and other WSGI apps under gunicorn), trust nginx's X-Forwarded-* headers so url_for and redirects use https:"))
	code("from werkzeug.middleware.proxy_fix import ProxyFix")
	code("app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)")
	return strings.TrimRight(b.String(), "\n")
}
