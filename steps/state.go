// Package steps holds the wizard's screens, one bubbletea model each, on
// top of the provision engine. The steps never provision anything
// themselves: they collect provision.Options, build the same Plan apply
// builds, and call the engine's Issue and Deploy.
package steps

import (
	"context"
	"net"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/ui"
)

// Engine is what the steps need of a provision.Session; tests pass a fake.
type Engine interface {
	Detect(ctx context.Context) (*provision.Detection, error)
	Issue(ctx context.Context, p *provision.Plan) (*provision.Issued, error)
	Deploy(ctx context.Context, p *provision.Plan, iss *provision.Issued) (*provision.Result, error)
}

// SessionEngine is a provision.Session: it holds only the host, and each
// call takes the site's settings from the plan.
type SessionEngine struct{ *provision.Session }

// Deps are what the steps are given: the engine, the event feed, the
// look, and every probe of the outside world, injected so tests are
// deterministic and never touch the network. The steps never change them.
type Deps struct {
	Ctx    context.Context
	Engine Engine
	Feed   *Feed
	Theme  ui.Theme
	Keys   ui.KeyMap

	Lookup     provision.LookupFunc
	LocalAddrs func() ([]net.IP, error)
	TermsURL   func(context.Context, *provision.Settings) (string, error)
	Preflight  func(*provision.Host) *provision.Preflight
	Now        func() time.Time
	// CheckApp probes the app address (provision.CheckApp when nil).
	CheckApp func(*provision.Plan) error
	Verbose  bool // show the ACME library's log lines too
	// OfferLang: no locale said which language to speak (an SSH
	// session that forwards none), so the first screen offers the switch.
	OfferLang bool
	// Manager reads and acts on the sites httpsify already manages (the
	// screen a rerun opens on); nil: the wizard starts at preflight.
	Manager Manager
}

// Answers are what the user chose: flags given on the command line
// pre-fill them, the steps change them.
type Answers struct {
	Opts provision.Options
	// Base is the host part of Opts, validated before any question:
	// ports, directories and the web server, for preflight.
	Base *provision.Host
}

// State is shared by every step: its dependencies, the user's answers,
// and what the engine returned. Only the active step touches it, from
// Update.
type State struct {
	Deps
	Answers

	Pre       *provision.Preflight
	Detection *provision.Detection
	Settings  *provision.Settings
	Plan      *provision.Plan
	// AppWarnings are what the site step's app check found (nothing
	// answers yet): every plan built afterwards carries them, so the
	// confirm screen still says so.
	AppWarnings []string
	Issued      *provision.Issued
	Result      *provision.Result
	Log         []provision.Event

	deploy deployRun
	// plainStep is the step the line prompts are at (1-based), read by
	// the signal handler to say where the run was cancelled.
	plainStep atomic.Int32
	// drafts keep what was typed on a step the user went back from.
	drafts map[string]ui.Draft
}

// keepDraft saves a form's values when the user leaves it going back.
func (st *State) keepDraft(step string, f *ui.Form) {
	if st.drafts == nil {
		st.drafts = map[string]ui.Draft{}
	}
	st.drafts[step] = f.Draft()
}

// takeDraft returns (and forgets) what was typed on step before going
// back; nil when the step was left forward, its answers in Opts.
func (st *State) takeDraft(step string) ui.Draft {
	d := st.drafts[step]
	delete(st.drafts, step)
	return d
}

// deployRun is the one Deploy call, shared by the confirm step (which
// starts it and shows nginx -t) and the deploy step (reload, verify).
type deployRun struct {
	running, quitAfter bool
	err                error
	from               int // index in Log of its first event
	handover           int // index of the first event the deploy step shows
}

// Settle validates the answers and builds the plan from the detection,
// exactly as apply does.
func (st *State) Settle() error {
	s, err := st.Opts.Validate()
	if err != nil {
		return err
	}
	p, err := provision.BuildPlan(st.Detection, s)
	if err != nil {
		return err
	}
	p.Warnings = append(p.Warnings, st.AppWarnings...)
	st.Settings, st.Plan = s, p
	return nil
}

// caSettings are what asking a CA (its terms) needs before the answers
// are complete: the host, the directory URL and the --ca-root trust.
func (st *State) caSettings(dir string) *provision.Settings {
	set := &provision.Settings{Host: *st.Base}
	set.CADirectory = dir
	if st.Opts.CARoot != "" {
		set.CARoot, _ = filepath.Abs(st.Opts.CARoot) // as Validate makes it
	}
	return set
}

// now is the clock (fixed in tests).
func (st *State) now() time.Time {
	if st.Now != nil {
		return st.Now()
	}
	return time.Now()
}

// record keeps an event for the views and the summary.
func (st *State) record(e provision.Event) { st.Log = append(st.Log, e) }
