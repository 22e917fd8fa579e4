package steps

import (
	"context"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/statedir"
)

// Manager is what the sites screen needs of the engine for the sites
// httpsify already manages; tests pass a fake. Nil: no sites screen.
type Manager interface {
	// Statuses are the managed sites as `httpsify status` reports them.
	Statuses(now time.Time) ([]provision.SiteStatus, error)
	// CheckSite verifies a live site without changing it.
	CheckSite(ctx context.Context, primary string) ([]provision.Check, error)
	// RenewSite renews one site now, as `httpsify renew --force --domain`.
	RenewSite(ctx context.Context, primary string) provision.SiteRenewal
	// SiteOptions are the site's stored answers, to change them.
	SiteOptions(primary string) (provision.Options, error)
	// PlanRemove says what removing a site means (restore it as it was,
	// or keep it as it is), writing nothing; Remove does it.
	PlanRemove(primary string, restore bool) (*provision.RemovePlan, error)
	Remove(ctx context.Context, rp *provision.RemovePlan) (*provision.RemoveResult, error)
}

func (e SessionEngine) layout() statedir.Layout { return statedir.Layout(e.Host.StateDir) }

func (e SessionEngine) Statuses(now time.Time) ([]provision.SiteStatus, error) {
	return provision.Statuses(e.layout(), "", now)
}

func (e SessionEngine) RenewSite(ctx context.Context, primary string) provision.SiteRenewal {
	run := provision.RenewRun{Layout: e.layout(), Force: true, Domain: primary}
	out, err := run.Renew(ctx, e.Session, e.Sink)
	if len(out) == 1 {
		if out[0].Err == nil && err != nil {
			out[0].Err = err // renewed, but the outcome was not recorded
		}
		return out[0]
	}
	if err == nil {
		err = context.Cause(ctx)
	}
	if err == nil {
		err = i18n.Errorf("the renewal did not run") // renew reported no outcome for the site
	}
	return provision.SiteRenewal{Primary: primary, Outcome: provision.OutcomeFailed, Err: err}
}

func (e SessionEngine) SiteOptions(primary string) (provision.Options, error) {
	s, err := provision.LoadSite(e.layout(), primary)
	if err != nil {
		return provision.Options{}, err
	}
	// The wizard drives the nginx of this session: its host, not a copy.
	return s.Request.Options(*e.Host), nil
}
