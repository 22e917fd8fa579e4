package steps

import (
	"strings"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/ui"
)

// eventLines renders engine events as marked lines, wrapped to w. The
// last "start" event shows spin (the spinner frame) while work runs, and
// earlier ones a plain bullet: they are over once a later one began.
func eventLines(t ui.Theme, evs []provision.Event, spin string, verbose bool, w int) []string {
	return eventLinesEnded(t, evs, spin, verbose, false, w)
}

// eventLinesEnded is eventLines; failed marks the work still under way
// (the last start nothing followed) as failed: the run stopped there.
func eventLinesEnded(t ui.Theme, evs []provision.Event, spin string, verbose, failed bool, w int) []string {
	var out []string
	lastStart := -1
	for i, e := range evs {
		if e.Kind == provision.KindStart {
			lastStart = i
		}
	}
	for i, e := range evs {
		if e.Kind == provision.KindLog && !verbose {
			continue
		}
		var mark string
		switch e.Kind {
		case provision.KindOK:
			mark = t.OK.Render(ui.MarkOK)
		case provision.KindWarn:
			mark = t.Warn.Render(ui.MarkWarn)
		case provision.KindFail:
			mark = t.Fail.Render(ui.MarkFail)
		case provision.KindStart:
			mark = t.Muted.Render(ui.MarkTodo)
			switch {
			case i == lastStart && spin != "":
				mark = t.Accent.Render(spin)
			case i == lastStart && failed && outcome(evs, i) == provision.KindStart:
				mark = t.Fail.Render(ui.MarkFail)
			default:
				// Work that is over takes the mark of how it ended, so
				// no bullet stays as if it were still to come.
				switch outcome(evs, i) {
				case provision.KindOK:
					mark = t.OK.Render(ui.MarkOK)
				case provision.KindFail:
					mark = t.Fail.Render(ui.MarkFail)
				}
			}
		default:
			mark = t.Muted.Render("·")
		}
		msg := e.Message
		if e.Kind == provision.KindLog {
			msg = t.Muted.Render(msg)
		}
		out = append(out, strings.Split(ui.Hang("  "+mark+" ", msg, w), "\n")...)
	}
	return out
}

// outcome is how the work begun by the start event at i ended: the kind
// of the next event of its phase (another start there means it went on,
// so it succeeded); KindStart while nothing followed yet.
func outcome(evs []provision.Event, i int) provision.Kind {
	for _, e := range evs[i+1:] {
		if e.Phase != evs[i].Phase || e.Kind == provision.KindLog {
			continue
		}
		if e.Kind == provision.KindStart || e.Kind == provision.KindWarn {
			return provision.KindOK
		}
		return e.Kind
	}
	return provision.KindStart
}

// phaseIn reports whether an event belongs to one of the phases.
func phaseIn(e provision.Event, phases ...provision.Phase) bool {
	for _, p := range phases {
		if e.Phase == p {
			return true
		}
	}
	return false
}

// since returns the events logged after index from.
func (st *State) since(from int) []provision.Event {
	if from > len(st.Log) {
		return nil
	}
	return st.Log[from:]
}
