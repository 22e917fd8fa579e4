package provision

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/httpsify/httpsify/provision/statedir"
)

// RenewRun is one `httpsify renew`.
type RenewRun struct {
	Layout statedir.Layout
	Force  bool
	DryRun bool   // decide and say; write nothing, ask no CA
	Domain string // one site ("" every managed site)
	// ACMEProfile and DeployHook, when not nil, are stored in each site's
	// request before it is checked (given on the command line).
	ACMEProfile, DeployHook *string
	Now                     func() time.Time // nil: time.Now
}

// SiteRenewal is what a run did for one site.
type SiteRenewal struct {
	Primary string
	Check   *DueCheck // nil when the site could not be checked
	Outcome RenewOutcome
	Err     error // Outcome failed: why
	HookErr error // renewed, but the deploy hook failed
	Result  *Result
}

// ErrUnknownSite: --domain names no managed site.
var ErrUnknownSite = errors.New("no site httpsify manages has this name")

// Renew checks every managed site (or run.Domain's) and renews the due
// ones inside x, one after the other, recording each outcome in the state
// dir. x may be nil for a dry run. Its error is for the run as a whole
// (bad input, the state dir); per-site failures are in the outcomes.
func (run RenewRun) Renew(ctx context.Context, x *Session, sink Sink) ([]SiteRenewal, error) {
	now := run.Now
	if now == nil {
		now = time.Now
	}
	sites, err := ManagedSites(run.Layout)
	if err != nil {
		return nil, err
	}
	if run.Domain != "" {
		if !slices.Contains(sites, run.Domain) {
			return nil, fieldErr(FlagDomain, fmt.Errorf("%q: %w", run.Domain, ErrUnknownSite))
		}
		sites = []string{run.Domain}
	}
	checker := &DueChecker{Layout: run.Layout, Offline: run.DryRun, Now: now, Sink: sink}
	var out []SiteRenewal
	records := map[string]*RenewRecord{}
	for _, name := range sites {
		if ctx.Err() != nil {
			break // interrupted: the sites not reached keep their records
		}
		sr := run.renewSite(ctx, x, checker, name, sink)
		out = append(out, sr)
		records[name] = sr.record(now())
	}
	if !run.DryRun && len(records) > 0 {
		if err := SaveRenewRecords(run.Layout, records); err != nil {
			return out, fmt.Errorf("recording the outcome: %w", err)
		}
	}
	return out, nil
}

func (run RenewRun) renewSite(ctx context.Context, x *Session, checker *DueChecker, name string, sink Sink) SiteRenewal {
	sr := SiteRenewal{Primary: name, Outcome: OutcomeFailed}
	s, err := LoadSite(run.Layout, name)
	if err != nil {
		sr.Err = err
		return sr
	}
	if run.ACMEProfile != nil || run.DeployHook != nil {
		if run.ACMEProfile != nil {
			s.ACMEProfile = *run.ACMEProfile
		}
		if run.DeployHook != nil {
			s.DeployHook = *run.DeployHook
		}
		if !run.DryRun {
			if err := SaveRequest(run.Layout, s.withHost()); err != nil {
				sr.Err = err
				return sr
			}
		}
	}
	sr.Check, err = checker.Check(ctx, s, run.Force)
	if err != nil {
		sr.Err = err
		return sr
	}
	if !sr.Check.Decision.Due && !run.Force {
		sr.Outcome = OutcomeNotDue
		return sr
	}
	if run.DryRun {
		sr.Outcome = OutcomeNotDue // nothing done
		return sr
	}
	sink.emit(PhaseIssue, KindStart, "renewing %s: %s", name, sr.Check.Why())
	sr.Result, sr.Err = x.Renew(ctx, s, sr.Check.Leaf)
	if sr.Err != nil {
		return sr
	}
	sr.Outcome = OutcomeRenewed
	if err := runDeployHook(ctx, s); err != nil {
		sr.HookErr = err
		sink.emit(PhaseVerify, KindWarn, "%v", err)
	}
	return sr
}

// record is the site's entry in the state dir after this run.
func (sr SiteRenewal) record(at time.Time) *RenewRecord {
	r := &RenewRecord{LastRun: at.UTC(), Result: sr.Outcome}
	if sr.Err != nil {
		r.Error = sr.Err.Error()
	} else {
		r.LastSuccess = r.LastRun
	}
	if c := sr.Check; c != nil {
		r.NotAfter, r.RenewAt, r.DueBy = c.Leaf.NotAfter.UTC(), c.Decision.At.UTC(), string(c.Decision.Reason)
		if c.ARIErr != nil {
			r.Warning = c.ARIErr.Error()
		}
	}
	if sr.Outcome == OutcomeRenewed && sr.Result != nil && sr.Result.Issued != nil {
		leaf := sr.Result.Issued.Leaf
		r.NotAfter, r.RenewAt, r.DueBy = leaf.NotAfter.UTC(), RenewAt(leaf).UTC(), "lifetime"
	}
	if sr.HookErr != nil {
		r.Warning = sr.HookErr.Error()
	}
	return r
}
