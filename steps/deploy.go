package steps

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/ui"
)

// Deploy (step 8) follows the rest of the engine's Deploy started in step
// 7: the reload, then the checks a browser would make (the certificate
// served, the redirect, the app reached over https). A failure here has
// already been rolled back by the engine when it is shown.
type Deploy struct {
	st   *State
	spin spinner.Model
}

func NewDeploy(st *State) *Deploy { return &Deploy{st: st, spin: newSpinner(st.Theme)} }

func (d *Deploy) Title() string { return i18n.T("Reload and verify") }

func (d *Deploy) Enter() tea.Cmd {
	if d.st.deploy.running {
		return tea.Batch(d.st.Feed.Next(), d.spin.Tick)
	}
	return nil
}

func (d *Deploy) Update(msg tea.Msg) tea.Cmd {
	st, k := d.st, d.st.Keys
	switch msg := msg.(type) {
	case EventMsg:
		st.record(msg.Event)
		return st.Feed.Next()
	case tea.KeyMsg:
		switch {
		case st.deploy.running:
		case st.deploy.err != nil && key.Matches(msg, k.Back):
			st.deploy = deployRun{}
			return ui.Back(2)
		case st.deploy.err != nil && key.Matches(msg, k.Next):
			return ui.Quit(1, i18n.T("The change was rolled back: every file is as before and nginx runs its old configuration.")+st.keptNote()+"\n"+st.deploy.err.Error())
		case key.Matches(msg, k.Next):
			return ui.Next(i18n.T("%s verified", st.Settings.SiteURL()))
		}
	default:
		cmd := st.updateDeployRun(msg, &d.spin)
		if done, ok := msg.(deployDone); ok && done.err == nil && !st.deploy.quitAfter {
			// Verified: the summary lists the checks that passed.
			return ui.Next(i18n.T("%s verified", st.Settings.SiteURL()))
		}
		return cmd
	}
	return nil
}

func (d *Deploy) Busy() string {
	if !d.st.deploy.running {
		return ""
	}
	return i18n.T("nginx is being changed; this finishes or rolls back within seconds. Quit then?")
}

func (d *Deploy) Keys() []key.Binding {
	k := d.st.Keys
	switch {
	case d.st.deploy.running:
		return nil
	case d.st.deploy.err != nil:
		return []key.Binding{withHelp(k.Back, "esc", i18n.N("back to the preview")), withHelp(k.Next, "enter", i18n.N("quit"))}
	}
	return []key.Binding{withHelp(k.Next, "enter", i18n.N("summary"))}
}

func (d *Deploy) Help() string {
	return i18n.T("httpsify reloads nginx, then connects to this machine as a browser would: it checks that the new certificate and its chain are served for every name, that TLS 1.0/1.1 are refused, that http:// redirects to https://, and that the app answers over https. If a check fails, the engine restores every file and reloads the old configuration.")
}

func (d *Deploy) View(w, h int) string {
	st, t := d.st, d.st.Theme
	run := st.deploy
	spin := ""
	if run.running {
		spin = d.spin.View()
	}
	// The heading says what the verify phase's start event would.
	var evs []provision.Event
	for _, e := range st.since(run.handover) {
		if !(e.Phase == provision.PhaseVerify && e.Kind == provision.KindStart) {
			evs = append(evs, e)
		}
	}
	lines := []string{i18n.T("Checking the site from this machine, as a browser would"), ""}
	lines = append(lines, eventLines(t, evs, spin, false, w)...)
	switch {
	case run.running:
	case run.err != nil:
		lines = append(lines, "", ui.Hang(t.Fail.Render(ui.MarkFail)+" ", t.Bold.Render(i18n.T("The site did not pass, so everything was rolled back: every file is as before and nginx runs its old configuration.")), w),
			ui.Hang("  ", i18n.T("Fix what the failed check names, then go back to the preview (esc) and try again."), w))
	default:
		lines = append(lines, "", ui.Hang(t.OK.Render(ui.MarkOK)+" ", t.Bold.Render(i18n.T("%s is live.", st.Settings.SiteURL())), w))
	}
	return strings.Join(ui.Tail(lines, h), "\n")
}
