package steps

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/termtext"
	"github.com/httpsify/httpsify/ui"
)

// Removing a site from the sites screen: restore it as it was or keep
// its HTTPS (one question), then what the engine's PlanRemove says will
// happen, then yes or no (default no), then Remove. Both runners ask the
// same two fields.

const actRemove = "remove"

const (
	removeRestore = "restore"
	removeKeep    = "keep"
)

// removeFlow is the removal being asked about.
type removeFlow struct {
	site     string
	mode     *ui.Field // restore or keep
	yes      *ui.Field // the confirmation, default No
	form     *ui.Form  // the field asked now
	planning bool
	plan     *provision.RemovePlan
	planErr  error
}

type removePlanned struct {
	plan *provision.RemovePlan
	err  error
}

// newRemoveFlow builds the questions for removing site.
func (h *Home) newRemoveFlow(site string) *removeFlow {
	name := termtext.Line(site)
	mode := ui.NewChoice(i18n.T("Remove %s: what happens to the site?", name), removeRestore,
		ui.Option{Label: i18n.N("Restore it as it was before httpsify: its files come back from the backups, and it answers plain HTTP"), Value: removeRestore, Short: i18n.N("restore it as it was")},
		ui.Option{Label: i18n.N("Keep it as it is: it keeps its HTTPS config and certificate, and httpsify stops managing and renewing it"), Value: removeKeep, Short: i18n.N("keep it as it is")})
	return &removeFlow{site: site, mode: mode, yes: ui.NewConfirm(i18n.T("Remove %s?", name), false)}
}

// planRemove asks the engine what removing means; it writes nothing.
func (h *Home) planRemove(rm *removeFlow) func() tea.Msg {
	m, site, restore := h.st.Manager, rm.site, rm.mode.Value() == removeRestore
	return func() tea.Msg {
		rp, err := m.PlanRemove(site, restore)
		return removePlanned{rp, err}
	}
}

// removeWork is the engine's Remove of the confirmed plan.
func (h *Home) removeWork(ctx context.Context, rp *provision.RemovePlan) func() tea.Msg {
	m := h.st.Manager
	return func() tea.Msg {
		res, err := m.Remove(ctx, rp)
		return &homeDone{action: actRemove, site: rp.Settings.Primary(), removed: res, err: err}
	}
}

// startRemove asks the first question.
func (h *Home) startRemove() tea.Cmd {
	h.rm = h.newRemoveFlow(h.site.Value())
	h.rm.form = ui.NewForm(h.st.Theme, h.st.Keys, h.rm.mode)
	h.outcome = nil
	return nil
}

// updateRemove handles the removal's questions.
func (h *Home) updateRemove(msg tea.Msg) tea.Cmd {
	rm, st := h.rm, h.st
	switch msg := msg.(type) {
	case removePlanned:
		rm.planning, rm.plan, rm.planErr = false, msg.plan, msg.err
		if msg.err == nil {
			rm.form = ui.NewForm(st.Theme, st.Keys, rm.yes)
		}
		return nil
	case tea.KeyMsg:
		if rm.planning {
			return nil
		}
		if key.Matches(msg, st.Keys.Back) || rm.planErr != nil && key.Matches(msg, st.Keys.Next) {
			h.rm = nil // nothing was changed
			return nil
		}
		_, submitted := rm.form.Update(msg)
		if !submitted {
			return nil
		}
		if rm.plan == nil {
			rm.planning = true
			return tea.Batch(h.planRemove(rm), h.spin.Tick)
		}
		h.rm = nil
		if !rm.yes.Yes {
			h.outcome = &homeDone{action: actRemove, site: rm.site, declined: true}
			return nil
		}
		ctx, cancel := context.WithCancel(st.Ctx)
		h.running, h.cancel, h.quitAfter, h.from = actRemove, cancel, false, len(st.Log)
		st.Feed.Go(h.removeWork(ctx, rm.plan))
		return tea.Batch(st.Feed.Next(), h.spin.Tick)
	}
	return nil
}

func (h *Home) removeKeys() []key.Binding {
	k, rm := h.st.Keys, h.rm
	switch {
	case rm.planning:
		return nil
	case rm.planErr != nil:
		return []key.Binding{withHelp(k.Next, "enter", i18n.N("back"))}
	case rm.plan != nil:
		return []key.Binding{withHelp(k.Yes, "y", i18n.N("remove")), withHelp(k.No, "n", i18n.N("keep it managed")), withHelp(k.Back, "esc", i18n.N("back"))}
	}
	return []key.Binding{withHelp(k.Next, "enter", i18n.N("choose")), withHelp(k.Up, "↑/↓", i18n.N("move")), withHelp(k.Back, "esc", i18n.N("back"))}
}

// removeView replaces the table while a removal is asked: the question,
// then the plan and the confirmation, which stays on screen.
func (h *Home) removeView(w, hgt int) string {
	t, rm := h.st.Theme, h.rm
	switch {
	case rm.planning:
		return t.Accent.Render(h.spin.View()) + " " + i18n.T("Reading what removing %s changes…", termtext.Line(rm.site))
	case rm.planErr != nil:
		return ui.Paint(t.Fail, ui.Hang(ui.MarkFail+" ", termtext.Line(oneParagraph(rm.planErr.Error())), w))
	case rm.plan == nil:
		return rm.form.View(w)
	}
	var plan []string
	for _, l := range removePlanLines(rm.plan) {
		if rest, ok := strings.CutPrefix(l, "  "); ok {
			l = ui.HangIndent("  ", "      ", rest, w)
		} else {
			l = ui.Hang("", l, w)
		}
		plan = append(plan, strings.Split(l, "\n")...)
	}
	ask := strings.Split(rm.form.View(w), "\n")
	if room := hgt - len(ask) - 1; len(plan) > room {
		cut := len(plan) - room + 1
		plan = append(plan[:room-1], t.Muted.Render(i18n.T("  … %d more lines: httpsify remove --domain %s --dry-run shows them all", cut, termtext.Line(rm.site))))
	}
	return strings.Join(append(append(plan, ""), ask...), "\n")
}

// removePlanLines are the engine's own description of the plan, as
// `httpsify remove` prints it, each line cleaned (paths come from the
// user's configuration).
func removePlanLines(rp *provision.RemovePlan) []string {
	out := []string{termtext.Line(rp.Heading()) + ":"}
	for _, l := range rp.Lines() {
		out = append(out, "  "+termtext.Line(l))
	}
	return out
}

// removedLines say what Remove did, or why nothing was removed.
func (h *Home) removedLines(d *homeDone, w int) []string {
	t := h.st.Theme
	name := termtext.Line(d.site)
	switch {
	case d.declined:
		return []string{ui.Hang(t.Muted.Render(ui.MarkTodo)+" ", i18n.T("Nothing was changed: %s is still managed by httpsify.", name), w)}
	case d.err != nil:
		return []string{ui.Paint(t.Fail, ui.Hang(ui.MarkFail+" ", i18n.T("Removing %s failed: %s", name, termtext.Line(oneParagraph(d.err.Error()))), w))}
	case d.removed == nil:
		return nil
	}
	restored := d.removed.Plan != nil && d.removed.Plan.Restore
	msg := i18n.T("%s is no longer managed by httpsify; its HTTPS config and certificate were left as they are, and httpsify will not renew the certificate.", name)
	if restored {
		msg = i18n.T("%s is no longer managed by httpsify: its files are as they were before httpsify, and it answers plain HTTP.", name)
	}
	lines := []string{ui.Hang(t.OK.Render(ui.MarkOK)+" ", t.Bold.Render(msg), w)}
	if !restored {
		// What https serves now, as the engine observed it (a warning
		// when not the kept certificate: nothing was changed either way).
		for _, c := range d.removed.Checks {
			mark := t.OK.Render(ui.MarkOK)
			if !c.OK {
				mark = t.Warn.Render(ui.MarkWarn)
			}
			lines = append(lines, ui.Hang("  "+mark+" ", termtext.Line(c.Line()), w))
		}
	}
	if d.removed.Schedule != "" {
		lines = append(lines, ui.Hang("  ", i18n.T("renewal: %s", termtext.Line(d.removed.Schedule)), w))
	}
	return lines
}
