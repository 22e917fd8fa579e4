package steps

import (
	"fmt"
	"strings"

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
		h.action.Options = append(h.action.Options, ui.Option{Label: actionLabels[actQuit], Value: actQuit, Short: "quit"})
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
