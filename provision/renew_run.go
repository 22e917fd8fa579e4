package provision

import (
	"context"
	"crypto/x509"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/certstore"
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
	// UploadedUntil: the site serves the user's own certificate, valid
	// until then; Warning says how to replace it when that is near.
	UploadedUntil time.Time
	Warning       string
}

// ErrUnknownSite: --domain names no managed site.
var ErrUnknownSite = i18n.NewError("no site httpsify manages has this name")

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
		primary, err := SiteNamed(run.Layout, run.Domain)
		if err != nil {
			return nil, err
		}
		if primary == "" || !slices.Contains(sites, primary) {
			return nil, fieldErr(FlagDomain, fmt.Errorf("%q: %w", run.Domain, ErrUnknownSite))
		}
		sites = []string{primary}
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
			return out, i18n.Errorf("recording the outcome: %w", err)
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
	if s.Uploaded() {
		return uploadedSite(s, checker.Now(), sink)
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
	if err := manualDNSRenewal(s); err != nil {
		sr.Err = err
		sink.emit(PhaseIssue, KindFail, "%s: %v", name, err)
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
	if sr.Result != nil && sr.Result.BackupDir != "" {
		// The renewal is the site's last change: the one rollback takes back.
		rec := SiteRecord{Action: RunRenew, OK: true, Change: filepath.Base(sr.Result.BackupDir)}
		if err := SaveSiteRecord(run.Layout, name, rec); err != nil {
			sink.emit(PhaseInstall, KindWarn, "recording the renewal for `httpsify rollback`: %v", err)
		}
	}
	if err := runDeployHook(ctx, s); err != nil {
		sr.HookErr = err
		sink.emit(PhaseVerify, KindWarn, "%v", err)
	}
	return sr
}

// uploadedSite: a certificate the user brought cannot renew itself, so
// no CA is asked; from 30 days before its expiry, renew says how to
// replace it.
func uploadedSite(s *Settings, now time.Time, sink Sink) SiteRenewal {
	sr := SiteRenewal{Primary: s.Primary(), Outcome: OutcomeNotDue}
	cur, err := certstore.Current(s.CertDir)
	var leaf *x509.Certificate
	if err == nil {
		leaf, _, err = certstore.ReadVersion(cur)
	}
	if err != nil {
		sr.Outcome, sr.Err = OutcomeFailed, err
		return sr
	}
	sr.UploadedUntil = leaf.NotAfter
	if leaf.NotAfter.Sub(now) < 30*24*time.Hour {
		sr.Warning = fmt.Sprintf("%s uses your own certificate, valid until %s, which cannot renew itself: get the renewed files from your provider and run httpsify apply --%s NEW.pem --%s NEW.key --domain %s again (or apply without them to let a CA renew it)",
			s.Primary(), leaf.NotAfter.Format("2006-01-02"), FlagCertFile, FlagKeyFile, s.Primary())
		sink.emit(PhaseIssue, KindWarn, "%s", sr.Warning)
	} else {
		sink.emit(PhaseIssue, KindOK, "%s uses your own certificate, valid until %s; it cannot renew itself, and nothing is due yet", s.Primary(), leaf.NotAfter.Format("2006-01-02"))
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
	if !sr.UploadedUntil.IsZero() {
		r.NotAfter, r.Warning = sr.UploadedUntil.UTC(), sr.Warning
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
