package provision

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/certbot"
	"github.com/httpsify/httpsify/provision/certcheck"
	"github.com/httpsify/httpsify/provision/termtext"
	"github.com/httpsify/httpsify/provision/txn"
)

// Take over from certbot (issue 12). A site whose TLS block names
// <certbot-dir>/live/NAME/… is certbot's lineage NAME. apply adopts it:
// certbot's current certificate becomes httpsify's first version (a copy,
// like an upload) and is served until it is due, unless --force-renew;
// the request records the lineage. certbot keeps renewing NAME until
// httpsify has renewed it once: the transaction that installs httpsify's
// first certificate of its own also renames certbot's renewal conf aside,
// so it stays renamed only if that certificate is verified as served, and
// `httpsify rollback` of that change puts it back.

// CertbotTakeover is what a plan knows of the lineage it takes over.
type CertbotTakeover struct {
	Dir, Lineage string
	// RenewalOn: certbot renew still picks the lineage.
	RenewalOn bool
	// Adopt: this run installs certbot's current certificate (Fullchain,
	// PrivKey, absolute, inside Dir) instead of asking a CA.
	Adopt              bool
	Fullchain, PrivKey string
	NotAfter           time.Time
	// HandOver: this run's new certificate is httpsify's first for the
	// lineage, and certbot's renewal conf is renamed with it.
	HandOver bool
}

// planTakeover recognises a certbot site and decides whether its
// certificate is adopted or a new one is issued now. A run on a site
// already taken over (it names httpsify's files now) keeps the lineage
// from the stored request, so the hand-over still happens on the first
// renewal.
func planTakeover(p *Plan) error {
	s := p.Settings
	if s.Uploaded() {
		return nil
	}
	if !inCertbotDir(p.SiteCert.Cert, s.CertbotDir) {
		if !s.FromCertbot() {
			if r, err := LoadRequest(s.Layout(), s.Primary()); err == nil && r.FromCertbot() {
				s.CertbotDir, s.CertbotLineage, s.CertSource = r.CertbotDir, r.CertbotLineage, SourceCertbot
			}
		}
		if s.FromCertbot() {
			return takeoverStatus(p)
		}
		return nil
	}
	dir, err := certbot.Open(s.CertbotDir)
	if err != nil {
		return fieldErr(FlagCertbotDir, i18n.Errorf("the site uses certbot's certificate (%s), but its directory cannot be trusted: %w", termtext.Line(p.SiteCert.Cert), err))
	}
	defer dir.Close()
	l, err := dir.LineageForPath(p.SiteCert.Cert)
	if err == nil {
		err = l.Err
	}
	if err != nil {
		return fieldErr(FlagCertbotDir, i18n.Errorf("the site uses %s, which is not a certbot lineage httpsify can read: %w", termtext.Line(p.SiteCert.Cert), err))
	}
	s.CertbotLineage, s.CertSource = l.Name, SourceCertbot
	ct := &CertbotTakeover{Dir: s.CertbotDir, Lineage: l.Name, RenewalOn: l.RenewalEnabled, NotAfter: l.NotAfter}
	p.Certbot = ct
	if !p.Issue {
		return nil // httpsify's own certificate is installed and good
	}
	if s.ForceRenew {
		ct.HandOver = ct.RenewalOn
		return nil
	}
	fullchain, key, err := dir.CurrentFiles(l)
	if err != nil {
		return fieldErr(FlagCertbotDir, err)
	}
	in := certcheck.Input{CertFile: fullchain, KeyFile: key, Domains: s.Domains, Now: time.Now()}
	if s.CARoot != "" {
		if in.ExtraRoots, err = trustedRoots(s); err != nil {
			return err
		}
	}
	res := certcheck.Check(in)
	why := ""
	switch errs := res.Errors(); {
	case len(errs) > 0:
		why = FindingText(errs[0])
	case renewDue(res.Bundle.Leaf, time.Now()):
		why = i18n.T("it is due for renewal (valid until %s)", res.Bundle.NotAfter.Format("2006-01-02"))
	}
	if why != "" {
		ct.HandOver = ct.RenewalOn
		p.Warnings = append(p.Warnings, termtext.Line(i18n.T("certbot's certificate of %s is not kept: %s; httpsify gets a new one now", l.Name, why)))
		return nil
	}
	ct.Adopt, ct.Fullchain, ct.PrivKey = true, fullchain, key
	p.Upload, p.Issue = &res, false
	return nil
}

// takeoverStatus fills p.Certbot for a site taken over earlier: whether
// certbot still renews the lineage, and whether this run's certificate
// (when it issues one) is the one that hands the renewal over.
func takeoverStatus(p *Plan) error {
	s := p.Settings
	ct := &CertbotTakeover{Dir: s.CertbotDir, Lineage: s.CertbotLineage}
	p.Certbot = ct
	dir, err := certbot.Open(s.CertbotDir)
	if err != nil {
		// certbot is gone (uninstalled, its directory removed): nothing
		// left to switch off.
		return nil
	}
	defer dir.Close()
	on, err := dir.RenewalEnabled(s.CertbotLineage)
	if err != nil {
		return fieldErr(FlagCertbotDir, err)
	}
	ct.RenewalOn = on
	ct.HandOver = on && p.Issue
	return nil
}

// inCertbotDir: path is one of certbot's lineage files under dir.
func inCertbotDir(path, dir string) bool {
	if path == "" || dir == "" {
		return false
	}
	r, err := filepath.Rel(dir, filepath.Clean(path))
	return err == nil && (strings.HasPrefix(r, "live/") || strings.HasPrefix(r, "archive/"))
}

// HandOverChanges are the changes that switch certbot's renewal of the
// lineage off, for the transaction that installs iss: none unless iss is
// a certificate httpsify issued itself (not certbot's, adopted) for a
// lineage certbot still renews. The certbot directory is checked again
// now, as it is about to be written.
func HandOverChanges(s *Settings, p *Plan, iss *Issued) ([]FileChange, error) {
	if !s.FromCertbot() || !iss.New || p.Upload != nil {
		return nil, nil
	}
	dir, err := certbot.Open(s.CertbotDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fieldErr(FlagCertbotDir, err)
	}
	defer dir.Close()
	sw, ok, err := dir.DisableSwitch(s.CertbotLineage)
	switch {
	case errors.Is(err, certbot.ErrNoLineage):
		return nil, nil // certbot's lineage was deleted: nothing renews it
	case err != nil:
		return nil, fieldErr(FlagCertbotDir, err)
	case !ok:
		return nil, nil // switched off already
	}
	why := i18n.T("certbot's renewal of %s, switched off now that httpsify renews it", s.CertbotLineage)
	return []FileChange{
		{Change: txn.Change{Path: sw.Disabled, Content: sw.Content, Mode: sw.Mode}, Role: RoleCertbotRenewal, Shown: sw.Disabled, Why: why},
		{Change: txn.Change{Path: sw.Enabled, Remove: true}, Role: RoleCertbotRenewal, Shown: sw.Enabled, Existed: true, Old: sw.Content, Why: why},
	}, nil
}

// handedOver says, once the transaction is verified and done, that
// certbot no longer renews the lineage.
func handedOver(sink Sink, s *Settings, changes []FileChange) {
	for _, c := range changes {
		if c.Role == RoleCertbotRenewal && !c.Remove {
			sink.emit(PhaseVerify, KindOK, "certbot no longer renews %s: httpsify does (certbot's renewal conf is kept as %s; httpsify rollback restores it)", termtext.Line(s.CertbotLineage), termtext.Line(c.Path))
		}
	}
}

// isCertbotRenewalFile: path is the adopted lineage's renewal conf (or its
// disabled copy) in certbot's directory.
func isCertbotRenewalFile(s *Settings, path string) bool {
	base := filepath.Base(path)
	name := s.CertbotLineage + ".conf"
	return filepath.Base(filepath.Dir(path)) == "renewal" && (base == name || base == name+certbot.DisabledSuffix)
}

// CertbotNote says, before the run, what happens to certbot's renewal of
// the lineage; "" when the site is not a certbot lineage.
func (p *Plan) CertbotNote() string {
	ct := p.Certbot
	if ct == nil {
		return ""
	}
	conf := filepath.Join(ct.Dir, "renewal", ct.Lineage+".conf")
	var b strings.Builder
	switch {
	case ct.Adopt:
		b.WriteString(i18n.T("the site is certbot's lineage %s: httpsify adopts it, installs certbot's current certificate (valid until %s) as its own first version and serves it until it is due. ", ct.Lineage, ct.NotAfter.Format("2006-01-02")))
	default:
		b.WriteString(i18n.T("the site is certbot's lineage %s, adopted by httpsify. ", ct.Lineage))
	}
	switch {
	case !ct.RenewalOn:
		b.WriteString(i18n.T("certbot no longer renews it."))
	case ct.HandOver:
		b.WriteString(i18n.T("This run's new certificate is httpsify's first for it: once it is verified as served, certbot's renewal of it is switched off (%s renamed to %s; httpsify rollback restores it).", conf, filepath.Base(conf)+certbot.DisabledSuffix))
	default:
		b.WriteString(i18n.T("certbot keeps renewing it until httpsify has renewed it once; then certbot's renewal of it is switched off (%s renamed to %s; httpsify rollback restores it), so the two never both renew it.", conf, filepath.Base(conf)+certbot.DisabledSuffix))
	}
	return termtext.Line(b.String())
}

// RoleCertbotRenewal is certbot's renewal conf of an adopted lineage,
// renamed aside (a role after plan.go's).
const RoleCertbotRenewal = RoleCertificate + 1

// certbotRestored says, after a verified rollback, that certbot renews
// the lineage again (its renewal conf is back in place).
func certbotRestored(sink Sink, s *Settings, changes []FileChange) {
	for _, c := range changes {
		if c.Role == RoleCertbotRenewal && !c.Remove && filepath.Ext(c.Path) == ".conf" {
			sink.emit(PhaseVerify, KindOK, "certbot renews %s again (%s is back)", termtext.Line(s.CertbotLineage), termtext.Line(c.Path))
		}
	}
}

// handOver is HandOverChanges for a run: when certbot's directory cannot
// be trusted or read (or holds both the conf and its disabled copy), the
// certificate is still installed, certbot's renewal is left on and the
// run says so; the next renewal tries again.
func (x *Session) handOver(s *Settings, p *Plan, iss *Issued) []FileChange {
	changes, err := HandOverChanges(s, p, iss)
	if err != nil {
		x.Sink.emit(PhaseWrite, KindWarn, "certbot's renewal of %s is left on, so certbot may renew it too: %v", termtext.Line(s.CertbotLineage), err)
		return nil
	}
	return changes
}
