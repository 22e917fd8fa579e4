package provision

import (
	"cmp"
	"context"
	"crypto/x509"
	"errors"
	"os"
	"slices"
	"time"

	"github.com/go-acme/lego/v4/certificate"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/renewdue"
	"github.com/httpsify/httpsify/provision/statedir"
)

// ManagedSites lists the sites with a stored request (a verified deploy),
// sorted: what renew works through.
func ManagedSites(l statedir.Layout) ([]string, error) {
	ents, err := os.ReadDir(l.ArchiveRoot())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		if fi, err := os.Lstat(l.Request(e.Name())); err == nil && fi.Mode().IsRegular() {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// LoadSite is a managed site's settings, from its stored request and the
// host stored with it (the defaults for a request stored before hosts
// were), every field validated again.
func LoadSite(l statedir.Layout, primary string) (*Settings, error) {
	r, err := LoadRequest(l, primary)
	if err != nil {
		return nil, err
	}
	h, ok := r.StoredHost()
	if !ok {
		hp, err := (Options{StateDir: l.Root()}).ValidateHost()
		if err != nil {
			return nil, err
		}
		h = *hp
	}
	return &Settings{Host: h, Request: *r}, nil
}

// DueCheck is one site's renewal verdict.
type DueCheck struct {
	Leaf     *x509.Certificate // the installed certificate
	Decision renewdue.Decision
	Forced   bool
	// ARIErr: the CA's renewal information could not be fetched; the
	// decision stands on the stored answer or the lifetime alone.
	ARIErr error
}

// Why says in words why the site is (or is not yet) due.
func (c *DueCheck) Why() string {
	at := c.Decision.At.UTC().Format(time.RFC3339)
	rule := i18n.T("a third of its lifetime left")
	if c.Decision.Reason == renewdue.ByARI {
		rule = i18n.T("the time chosen in the CA's renewal window (ARI)")
	}
	switch {
	case c.Forced:
		return i18n.T("forced (--force)")
	case c.Decision.Due:
		return i18n.T("due since %s: %s", at, rule)
	}
	return i18n.T("not due until %s (%s); expires %s", at, rule, c.Leaf.NotAfter.UTC().Format(time.RFC3339))
}

// DueChecker decides which sites are due. It asks a CA for renewal
// information only when a site's stored answer is stale and its lifetime
// alone does not already make it due, and connects to each CA at most
// once a run (lazily: a run where every answer is fresh touches no
// network).
type DueChecker struct {
	Layout statedir.Layout
	// Offline never asks a CA (a dry run: the answer would be stored).
	Offline bool
	Now     func() time.Time // nil: time.Now
	Sink    Sink

	fetchers map[string]renewdue.RenewalInfoFetcher
}

// Check decides for s; err means the installed certificate cannot be read.
func (c *DueChecker) Check(ctx context.Context, s *Settings, force bool) (*DueCheck, error) {
	leaf, err := certstore.ReadLive(s.CertDir)
	if err != nil {
		return nil, i18n.Errorf("reading the installed certificate: %w", err)
	}
	cache := &renewdue.Cache{Dir: c.Layout.RenewalInfo(), Now: c.Now}
	if !c.Offline {
		cache.Fetcher = c.fetcher(ctx, s)
	}
	d, _, err := cache.Check(leaf)
	dc := &DueCheck{Leaf: leaf, Decision: d, Forced: force}
	var fe *renewdue.FetchError
	if err != nil && !(c.Offline && errors.As(err, &fe)) {
		dc.ARIErr = err
	}
	return dc, nil
}

func (c *DueChecker) fetcher(ctx context.Context, s *Settings) renewdue.RenewalInfoFetcher {
	key := s.CADirectory + "\x00" + s.CARoot + "\x00" + s.Email
	if f, ok := c.fetchers[key]; ok {
		return f
	}
	if c.fetchers == nil {
		c.fetchers = map[string]renewdue.RenewalInfoFetcher{}
	}
	sink := c.Sink
	f := renewdue.Lazy(func() (renewdue.RenewalInfoFetcher, error) {
		restore := routeLegoLog(sink)
		defer restore()
		client, err := connectCA(ctx, s)
		if err != nil {
			return nil, err
		}
		return client.Lego().Certificate, nil
	})
	c.fetchers[key] = f
	return f
}

// Renew gets a new certificate for a managed site and swaps it in: the
// same order, staging, nginx -t, reload and verification as apply, but
// it never plans or writes a site file. Only the certificate link
// changes, so a site the user edited since (or whose edit is no longer
// in place) keeps every byte. On any failure the old link is restored
// and nginx reloaded: the old certificate keeps being served.
func (x *Session) Renew(ctx context.Context, s *Settings, old *x509.Certificate) (*Result, error) {
	if id, err := certificate.MakeARICertID(old); err == nil {
		// Same account as the certificate's: the CA then knows it is
		// replaced (and may exempt the order from rate limits).
		s.ReplacesCertID = id
	}
	d, err := x.Server.Detect(ctx, &s.Host, x.Sink)
	if err != nil {
		return nil, err
	}
	p, err := renewalPlan(d, s)
	if err != nil {
		return nil, err
	}
	iss, err := x.Issue(ctx, p)
	if err != nil {
		return nil, err
	}
	return x.deployRenewal(ctx, p, iss)
}

// renewalPlan is a Plan with only the challenge: no site edit.
func renewalPlan(d *Detection, s *Settings) (*Plan, error) {
	p := &Plan{
		Settings:   s,
		Detection:  d,
		Issue:      true,
		Webroot:    s.ChallengeDir,
		ArchiveDir: s.Layout().Archive(s.Primary()),
	}
	if err := certstore.CheckOwnLink(s.CertDir, s.Layout().ArchiveRoot()); err != nil {
		return nil, fieldErr(FlagCertDir, err)
	}
	cur, err := certstore.Current(s.CertDir)
	if err != nil {
		return nil, fieldErr(FlagCertDir, err)
	}
	p.CurrentCert = cur
	ch, err := planChallenge(p)
	if err != nil {
		return nil, err
	}
	if err := ch.Plan(p); err != nil {
		return nil, err
	}
	p.Challenge = ch
	return p, nil
}

// deployRenewal swaps the certificate link, tests, reloads and checks
// that every name serves the new leaf; any failure rolls back.
func (x *Session) deployRenewal(ctx context.Context, p *Plan, iss *Issued) (*Result, error) {
	ctx = context.WithoutCancel(ctx)
	s, sink := p.Settings, x.Sink
	res := &Result{Plan: p, Issued: iss}
	link, err := certstore.LiveChange(s.CertDir, iss.VersionDir)
	if err != nil {
		return res, fieldErr(FlagCertDir, err)
	}
	changes := []FileChange{{Change: link, Role: RoleCertificate, Shown: s.CertDir, Why: i18n.T("the certificate files")}}
	changes = append(changes, x.handOver(s, p, iss)...)
	sink.emit(PhaseWrite, KindStart, "linking %s to the new certificate", s.CertDir)
	tx, err := x.commit(ctx, p, changes)
	if err != nil {
		return res, err
	}
	for _, c := range changes {
		res.Changed = append(res.Changed, c.Path)
	}
	sink.emit(PhaseVerify, KindStart, "checking that %s serves the new certificate", s.SiteURL())
	res.Checks, err = verifyServedLeaf(ctx, s, iss.Leaf, iss.ChainLen, cmp.Or(x.VerifyWait, 10*time.Second))
	for _, c := range res.Checks {
		kind := KindOK
		if !c.OK {
			kind = KindFail
		}
		sink.emit(PhaseVerify, kind, "%s", c.Line())
	}
	if err != nil {
		x.undo(ctx, p, tx)
		return res, err
	}
	res.Backups, res.BackupDir = tx.Backups(), tx.BackupDir
	doneOrWarn(tx, sink)
	handedOver(sink, s, changes)
	if err := certstore.Prune(p.ArchiveDir, s.CertDir, 5); err != nil {
		sink.emit(PhaseInstall, KindWarn, "removing old certificate versions: %v", err)
	}
	res.RenewAt = RenewAt(iss.Leaf)
	sink.emit(PhaseVerify, KindOK, "%s serves the new certificate", s.SiteURL())
	return res, nil
}

// verifyServedLeaf is the certificate part of Verify: a renewal changes
// nothing else about the site.
func verifyServedLeaf(ctx context.Context, s *Settings, leaf *x509.Certificate, chainLen int, timeout time.Duration) ([]Check, error) {
	checks := servedLeafChecks(ctx, s, leaf, chainLen, timeout)
	for _, c := range checks {
		if !c.OK {
			return checks, &VerifyError{Checks: checks}
		}
	}
	return checks, nil
}
