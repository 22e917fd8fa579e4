package steps

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/validate"
	"github.com/httpsify/httpsify/ui"
)

// Location (step 5) says where the certificate files go and with which
// permissions. Changing it rebuilds the settings and the plan; the
// certificate itself is already staged and only gets linked there.
type Location struct {
	st   *State
	form *ui.Form
	dir  *ui.Field
	err  error
}

func NewLocation(st *State) *Location { return &Location{st: st} }

func (l *Location) Title() string { return i18n.T("Install location") }

// defaultDir is where the files go when --cert-dir is not given.
func (l *Location) defaultDir() string {
	s := l.st.Settings
	return s.Layout().Live(s.Primary())
}

func (l *Location) Enter() tea.Cmd {
	l.err = nil
	l.dir = ui.NewText(i18n.N("Certificate directory"), l.st.Settings.CertDir)
	l.dir.Hint = i18n.T("Default: %s (left empty, the default is used)", l.defaultDir())
	l.dir.Placeholder = l.defaultDir()
	l.dir.Optional = true // empty takes the default shown
	l.dir.Check = checkCertDir
	l.form = ui.NewForm(l.st.Theme, l.st.Keys, l.dir)
	return l.form.Init()
}

// checkCertDir accepts a path httpsify may manage: new, or its own link.
func checkCertDir(v string) (string, error) {
	p, err := validate.Path(v)
	if err != nil {
		return "", err
	}
	if !provision.InstallDirUsable(p) {
		return "", i18n.Errorf("%s already exists and was not made by httpsify; choose another directory", p)
	}
	return "", nil
}

func (l *Location) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		cmd, _ := l.form.Update(msg)
		return cmd
	}
	l.err = nil
	cmd, submitted := l.form.Update(km)
	if !submitted {
		return cmd
	}
	sum, err := l.commit()
	if err != nil {
		l.err = err
		return nil
	}
	return ui.Next(sum)
}

// commit rebuilds the settings and the plan for the directory.
func (l *Location) commit() (string, error) {
	st := l.st
	old := st.Opts.CertDir
	st.Opts.CertDir = l.dir.Value()
	if st.Opts.CertDir == l.defaultDir() || st.Opts.CertDir == "" {
		st.Opts.CertDir = "" // the default stays implicit in the apply line
	}
	if err := st.Settle(); err != nil {
		st.Opts.CertDir = old
		return "", err
	}
	return st.Settings.CertDir, nil
}

// Questions: the directory alone.
func (l *Location) Questions() []*ui.Field { return []*ui.Field{l.dir} }

func (l *Location) Answered(*ui.Field) []string { return nil }

// Submit: a refusal asks the directory again.
func (l *Location) Submit() (string, *ui.Field, error) {
	sum, err := l.commit()
	if err != nil {
		return "", l.dir, err
	}
	return sum, nil, nil
}

// Typing: the directory is typed; "?" is then a character.
func (l *Location) Typing() bool { return l.form != nil && l.form.Typing() }

// Keys has no Esc: going back past issuance would ask the CA again.
func (l *Location) Keys() []key.Binding {
	return []key.Binding{withHelp(l.st.Keys.Next, "enter", i18n.N("continue"))}
}

func (l *Location) Help() string {
	return i18n.T("The directory becomes a link to the certificate version just issued; renewals move the link, so nginx always reads a complete set. Going back is not offered here: it would ask the CA for another certificate.")
}

func (l *Location) View(w, h int) string {
	st, t := l.st, l.st.Theme
	iss := st.Issued
	var b strings.Builder
	if iss != nil && iss.Leaf != nil {
		what := i18n.T("New certificate")
		if !iss.New {
			what = i18n.T("Installed certificate")
		}
		b.WriteString(ui.Hang(t.OK.Render(ui.MarkOK)+" ", i18n.T("%s for %s, valid until %s", what, strings.Join(iss.Leaf.DNSNames, ", "), iss.Leaf.NotAfter.Format("2006-01-02")), w) + "\n\n")
	}
	b.WriteString(l.form.View(w) + "\n\n")
	if l.err != nil {
		b.WriteString(ui.Paint(t.Fail, ui.Hang(ui.MarkFail+" ", planMessage(l.err), w)) + "\n\n")
	}
	b.WriteString(i18n.T("It will hold four files:") + "\n")
	rows := [][3]string{
		{"fullchain.pem", "0644", i18n.T("certificate + intermediates (nginx: ssl_certificate)")},
		{"privkey.pem", "0600", i18n.T("private key, readable by root only (ssl_certificate_key)")},
		{"cert.pem", "0644", i18n.T("the certificate alone")},
		{"chain.pem", "0644", i18n.T("the intermediates alone")},
	}
	for _, r := range rows {
		b.WriteString(ui.Hang(fmt.Sprintf("  %-14s %s  ", r[0], r[1]), r[2], w) + "\n")
	}
	b.WriteString(ui.Paint(t.Muted, ui.Hang("", i18n.T("The directory is a link to a version under %s (0700), so a renewal swaps all four at once.", st.Plan.ArchiveDir), w)))
	return b.String()
}
