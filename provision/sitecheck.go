package provision

import (
	"cmp"
	"context"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/statedir"
)

// CheckSite checks a managed site as it is now, changing nothing: that
// every name serves exactly the certificate installed at its install
// location (and its chain), that TLS 1.0/1.1 are refused, that http
// redirects to https and that the app answers over https. It is the
// verification a deploy ends with, run on the live site; the checks are
// what was observed, and a VerifyError lists the ones that failed.
func (x *Session) CheckSite(ctx context.Context, primary string) ([]Check, error) {
	l := statedir.Layout(x.Host.StateDir)
	s, err := LoadSite(l, primary)
	if err != nil {
		return nil, err
	}
	x.Sink.emit(PhaseVerify, KindStart, "checking %s as a browser would", s.SiteURL())
	leaf, why := installedLeaf(l, s.CertDir)
	if why != "" {
		x.Sink.emit(PhaseVerify, KindFail, "%s", why)
		c := Check{Name: i18n.T("installed certificate"), Info: why}
		return []Check{c}, &VerifyError{Checks: []Check{c}}
	}
	cur, err := certstore.Current(s.CertDir)
	if err != nil {
		return nil, err
	}
	_, chainLen, err := certstore.ReadVersion(cur)
	if err != nil {
		return nil, err
	}
	// Nothing was reloaded: a short wait is for a busy server only. The
	// app was answering if the site was verified; a 502 now is a failure.
	checks, err := Verify(ctx, s, leaf, chainLen, nil, true, cmp.Or(x.VerifyWait, 3*time.Second))
	for _, c := range checks {
		kind := KindOK
		if c.Warn {
			kind = KindWarn
		} else if !c.OK {
			kind = KindFail
		}
		x.Sink.emit(PhaseVerify, kind, "%s", c.Line())
	}
	return checks, err
}
