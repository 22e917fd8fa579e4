package dnschallenge

import "errors"

// ManualCode is the catalog's code for adding records by hand.
const ManualCode = "manual"

// ErrManualNeedsUI: lego's own "manual" provider prints to stdout and
// reads stdin, which would hang or corrupt the wizard; use NewManual.
var ErrManualNeedsUI = errors.New("dnschallenge: the manual DNS provider is built with NewManual, not OpenProvider")

// fastDefaults are options this package sets for a provider when the user
// did not: rfc2136 sends each UPDATE to the primary and it applies at once,
// so lego's 60 s pause between a wildcard's and its apex's records (the
// provider is sequential because each Present replaces the whole TXT
// RRset) buys nothing; the propagation check still confirms every
// authoritative server has the record before the CA is told to look.
var fastDefaults = map[string]map[string]string{
	"rfc2136": {"DNSUPDATE_SEQUENCE_INTERVAL": "0"},
}
