package schedule

import (
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Verb is what happened (or, in a plan, will happen) to one thing.
type Verb string

const (
	Create Verb = "create" // a file or link that was absent
	Update Verb = "update" // a file whose content or mode differed
	Keep   Verb = "keep"   // already as wanted: nothing written
	Delete Verb = "delete"
	Run    Verb = "run" // a systemctl command
)

// Action is one step of an install or removal. Path is a file (under
// Options.Root) or, for Run, the command line.
type Action struct {
	Verb Verb
	Path string
}

func (a Action) String() string { return string(a.Verb) + " " + a.Path }

// Result is what Install, Remove or Plan did or would do.
type Result struct {
	Mode    Mode // the scheduler chosen (Auto resolved); None when nothing was installed
	Actions []Action
	Planned bool // from Plan: nothing was done
}

// Changed reports whether anything was (or would be) written or removed.
func (r Result) Changed() bool {
	for _, a := range r.Actions {
		if a.Verb == Create || a.Verb == Update || a.Verb == Delete {
			return true
		}
	}
	return false
}

// Summary is one line for a confirm screen or a report, e.g.
// "will install httpsify-renew.timer (systemd, twice a day)".
func (r Result) Summary() string {
	what := map[Mode]string{
		Systemd: i18n.T("%s (systemd, twice a day)", TimerName),
		Cron:    i18n.T("%s (cron, twice a day)", "/etc/cron.d/"+cronName),
	}[r.Mode]
	removing := false
	for _, a := range r.Actions {
		removing = removing || a.Verb == Delete
	}
	switch {
	case r.Mode == None && !removing:
		return i18n.T("no renewal schedule: run `httpsify renew` twice a day yourself")
	case r.Mode == None && r.Planned:
		return i18n.T("will remove the renewal schedule")
	case r.Mode == None:
		return i18n.T("removed the renewal schedule")
	case !r.Changed():
		return i18n.T("keeps %s: already installed", what)
	case r.Planned:
		return i18n.T("will install %s", what)
	}
	return i18n.T("installed %s", what)
}

// Details lists every action, one per line, for a verbose report.
func (r Result) Details() string {
	lines := make([]string, len(r.Actions))
	for i, a := range r.Actions {
		lines[i] = a.String()
	}
	return strings.Join(lines, "\n")
}

// UnsafePathError is a path where this package would write that holds
// something it did not put there in that form (a directory, a device, a
// link elsewhere): it is refused, not replaced.
type UnsafePathError struct{ Path, Found string }

func (e *UnsafePathError) Error() string {
	return i18n.T("schedule: %s is %s, not a file httpsify wrote; remove it or choose --schedule none", e.Path, e.Found)
}

// NoSchedulerError: Auto found neither systemd running nor /etc/cron.d, or
// Cron was asked for where /etc/cron.d is missing.
type NoSchedulerError struct{ Mode Mode }

func (e *NoSchedulerError) Error() string {
	if e.Mode == Cron {
		return i18n.T("schedule: cron is not installed (no /etc/cron.d); install cron, or use --schedule systemd or none")
	}
	return i18n.T("schedule: neither systemd nor cron found; install cron, or use --schedule none and run `httpsify renew` twice a day")
}
