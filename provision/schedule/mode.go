// Package schedule installs what runs `httpsify renew` twice a day: a
// systemd timer and service where systemd runs, a cron.d file elsewhere.
// Install and Remove are idempotent and say what they did, so the wizard
// and `apply` can show it; Plan says the same without writing. Where a
// package shipped the units for the same binary (/lib or /usr/lib/
// systemd/system), Install only enables them instead of writing a copy
// to /etc/systemd/system; Units renders them for the package too.
package schedule

import (
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Mode chooses the scheduler (the --schedule flag).
type Mode string

const (
	Auto    Mode = "auto"    // systemd when it runs, else cron
	Systemd Mode = "systemd" // a systemd timer and service
	Cron    Mode = "cron"    // a file in /etc/cron.d
	None    Mode = "none"    // install nothing; the user runs renew themselves
)

// Modes lists the accepted values, in the order help text shows them.
var Modes = []Mode{Auto, Systemd, Cron, None}

// ModeError is a --schedule value that is not one of Modes.
type ModeError struct{ Value string }

func (e *ModeError) Error() string {
	names := make([]string, len(Modes))
	for i, m := range Modes {
		names[i] = string(m)
	}
	return i18n.T("--schedule: %q is not one of %s", e.Value, strings.Join(names, ", "))
}

// ParseMode reads a --schedule value; "" means Auto.
func ParseMode(s string) (Mode, error) {
	if s == "" {
		return Auto, nil
	}
	for _, m := range Modes {
		if s == string(m) {
			return m, nil
		}
	}
	return "", &ModeError{Value: s}
}

// String lets Mode serve as a pflag.Value.
func (m Mode) String() string { return string(m) }
