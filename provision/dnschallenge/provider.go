package dnschallenge

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/go-acme/lego/v4/challenge"
)

// legoProvider builds lego's provider for a code from the process
// environment; a variable so the constructor set can be chosen in one place
// (providers_lego.go) and this file stays free of the heavy import.
var legoProvider func(code string) (challenge.Provider, error)

// ManualCode is the catalog's code for adding records by hand.
const ManualCode = "manual"

// ErrManualNeedsUI: lego's own "manual" provider prints to stdout and
// reads stdin, which would hang or corrupt the wizard; use NewManual.
var ErrManualNeedsUI = errors.New("dnschallenge: the manual DNS provider is built with NewManual, not NewProvider")

// envMu serialises NewProvider: the environment is process-wide, so two
// constructions at once would see each other's variables.
var envMu sync.Mutex

// fastDefaults are options this package sets for a provider when the user
// did not: rfc2136 sends each UPDATE to the primary and it applies at once,
// so lego's 60 s pause between a wildcard's and its apex's records (the
// provider is sequential because each Present replaces the whole TXT
// RRset) buys nothing; the propagation check still confirms every
// authoritative server has the record before the CA is told to look.
var fastDefaults = map[string]map[string]string{
	"rfc2136": {"DNSUPDATE_SEQUENCE_INTERVAL": "0"},
}

// NewProvider builds lego's DNS provider for c's provider code with c's
// values, without leaving them in the environment.
//
// lego's providers read their configuration from environment variables
// inside NewDNSProvider (and hand-building each of ~190 Config structs is
// not maintainable), so for the duration of that call only, under envMu,
// the provider's catalog variables (and their _FILE twins, which lego also
// reads) are set to exactly c's values (others unset, so nothing ambient
// mixes in) and restored right after. Go's os.Setenv does not rewrite
// /proc/PID/environ, so the values never show in the process list.
// Providers whose SDKs read the environment later, at request time (a few
// cloud SDK credential chains), would not see the values: for those, the
// values must stay in the environment the caller runs with.
func NewProvider(c Credentials) (challenge.Provider, error) {
	p, err := lookupProvider(c.provider)
	if err != nil {
		return nil, err
	}
	if p.Code == ManualCode {
		return nil, ErrManualNeedsUI
	}
	set := map[string]string{}
	for name, v := range fastDefaults[p.Code] {
		set[name] = v
	}
	for name, v := range c.values {
		set[name] = v
	}
	var prov challenge.Provider
	err = withEnv(variableNames(p), set, func() error {
		var err error
		prov, err = legoProvider(p.Code)
		return err
	})
	if err != nil {
		// lego's messages name variables, not values; still, they are
		// wrapped with the code only, never with c.
		return nil, fmt.Errorf("DNS provider %s: %w", p.Code, err)
	}
	return prov, nil
}

// withEnv runs fn with every name in names (and NAME_FILE) unset except
// those in set, then puts the environment back as it was.
func withEnv(names map[string]bool, set map[string]string, fn func() error) error {
	envMu.Lock()
	defer envMu.Unlock()
	type saved struct {
		value string
		ok    bool
	}
	old := map[string]saved{}
	for name := range names {
		for _, n := range []string{name, name + "_FILE"} {
			v, ok := os.LookupEnv(n)
			old[n] = saved{v, ok}
			os.Unsetenv(n)
		}
	}
	defer func() {
		for n, s := range old {
			if s.ok {
				os.Setenv(n, s.value)
			} else {
				os.Unsetenv(n)
			}
		}
	}()
	for name, v := range set {
		if _, ok := old[name]; !ok {
			s, ok := os.LookupEnv(name)
			old[name] = saved{s, ok}
		}
		if err := os.Setenv(name, v); err != nil {
			return err
		}
	}
	return fn()
}
