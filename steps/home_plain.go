package steps

import (
	"fmt"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/termtext"
	"github.com/httpsify/httpsify/ui"
)

// home is the sites screen as line prompts: the same table, the same two
// questions (which site, what to do) and the same engine calls, asked
// again after each check or renewal. goOn is true when the answer was
// change or add: the numbered steps follow, pre-filled.
// Quitting exits 0, as the full-screen sites screen does: each outcome
// was said, and `httpsify status` is what monitoring reads.
func (r *plain) home(h *Home) (goOn bool, code int, err error) {
	st := r.st
	for {
		h.Enter()
		if len(h.statuses) == 0 {
			fmt.Fprintln(r.out, i18n.T("No sites are managed here any more; run httpsify again to add one."))
			return false, 0, nil
		}
		h.action.Options = append(h.action.Options, ui.Option{Label: actionLabels[actQuit], Value: actQuit, Short: i18n.N("quit")})
		fmt.Fprintf(r.out, "\n%s\n\n", h.Title())
		for i := range h.statuses {
			s := &h.statuses[i]
			fmt.Fprintln(r.out, ui.Hang("- ", siteRowPlain(*s, st.now()), plainWidth))
			for _, l := range h.siteDetails(s, plainWidth-2)[1:] {
				fmt.Fprintln(r.out, "  "+l)
			}
		}
		fmt.Fprintln(r.out)
		if err := r.ask(h.Questions()...); err != nil {
			return false, 1, err
		}
		switch act := h.action.Value(); act {
		case actQuit:
			return false, 0, nil
		case actRemove:
			if err := r.remove(h); err != nil {
				return false, 1, err
			}
		case actCheck, actRenew:
			h.from = len(st.Log)
			d := r.work(h.work(st.Ctx, act, h.site.Value())).(*homeDone)
			h.outcome = d
			fmt.Fprintln(r.out, strings.TrimRight(h.outcomeText(plainWidth), "\n"))
		default:
			if _, _, err := h.Submit(); err != nil {
				fmt.Fprintln(r.out, ui.Hang(ui.MarkFail+" ", err.Error(), plainWidth))
				continue
			}
			return true, 0, nil
		}
	}
}

// remove asks the removal's two questions around the engine's plan, as
// the full-screen flow does, then removes.
func (r *plain) remove(h *Home) error {
	st := r.st
	rm := h.newRemoveFlow(h.site.Value())
	if err := r.ask(rm.mode); err != nil {
		return err
	}
	rm.plan, rm.planErr = h.st.Manager.PlanRemove(rm.site, rm.mode.Value() == removeRestore)
	if rm.planErr != nil {
		fmt.Fprintln(r.out, ui.Hang(ui.MarkFail+" ", termtext.Line(oneParagraph(rm.planErr.Error())), plainWidth))
		return nil
	}
	for _, l := range removePlanLines(rm.plan) {
		fmt.Fprintln(r.out, l)
	}
	if err := r.ask(rm.yes); err != nil {
		return err
	}
	d := &homeDone{action: actRemove, site: rm.site, declined: true}
	if rm.yes.Yes {
		h.from = len(st.Log)
		d = r.work(h.removeWork(st.Ctx, rm.plan)).(*homeDone)
	}
	h.outcome = d
	fmt.Fprintln(r.out, strings.TrimRight(h.outcomeText(plainWidth), "\n"))
	return nil
}
