package provision

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/renewdue"
	"github.com/httpsify/httpsify/provision/statedir"
)

// WarningKind classifies a status warning, for monitoring.
type WarningKind string

const (
	WarnRenewalFailing  WarningKind = "renewal-failing"     // the last renewal failed
	WarnLastRunFailed   WarningKind = "last-run-failed"     // the last apply or rollback failed
	WarnExpiresSoon     WarningKind = "expires-soon"        // within ExpirySoon, or expired
	WarnCannotRenew     WarningKind = "cannot-renew"        // uploaded: httpsify cannot renew it
	WarnCertificateFile WarningKind = "certificate-files"   // missing, incomplete, or not httpsify's link
	WarnRequestUnusable WarningKind = "request-unreadable"  // the stored request does not load
	WarnNamesUncovered  WarningKind = "names-not-covered"   // the certificate lacks a name of the site
	WarnRecordUnusable  WarningKind = "last-run-unreadable" // the site's record does not load
)

// ExpirySoon is how close to expiry a certificate needs attention.
const ExpirySoon = 14 * 24 * time.Hour

// Source names where a site's certificate comes from.
const (
	CertSourceACME     = "acme"
	CertSourceUploaded = SourceUploaded
)

// Warning is one thing about a site a person should look at.
type Warning struct {
	Kind WarningKind `json:"kind"`
	// Message may carry outside text (a CA's error): clean it to print.
	Message string `json:"message"`
	// Attention: this warning alone makes status exit 1.
	Attention bool `json:"attention"`
}

// LastRun is the site's record as status shows it.
type LastRun struct {
	Time   time.Time `json:"time"`
	Action RunAction `json:"action"`
	OK     bool      `json:"ok"`
	Error  string    `json:"error,omitempty"`
}

// SiteStatus is one managed site as `httpsify status` reports it.
type SiteStatus struct {
	Name      string   `json:"name"`
	Names     []string `json:"names"`
	Source    string   `json:"source"`
	CA        string   `json:"ca,omitempty"`
	Challenge string   `json:"challenge,omitempty"`
	CertDir   string   `json:"cert_dir,omitempty"`
	// NotAfter and NextRenewal are nil when no certificate could be read.
	NotAfter    *time.Time `json:"not_after,omitempty"`
	NextRenewal *time.Time `json:"next_renewal,omitempty"`
	RenewalDue  bool       `json:"renewal_due"`
	// RenewalRule is renewdue's reason: "lifetime" or "ari".
	RenewalRule string    `json:"renewal_rule,omitempty"`
	ConfigFile  string    `json:"config_file,omitempty"`
	LastRun     *LastRun  `json:"last_run,omitempty"`
	Warnings    []Warning `json:"warnings"`
	Attention   bool      `json:"attention"`

	// Take over from certbot (issue 12): the adopted lineage, and whether
	// certbot still renews it: "on", "off", or "unknown" (its directory
	// cannot be read).
	CertbotLineage string `json:"certbot_lineage,omitempty"`
	CertbotRenewal string `json:"certbot_renewal,omitempty"`
}

// NotManagedError: --domain names no site in the state dir.
type NotManagedError struct{ Name string }

func (e *NotManagedError) Error() string {
	return i18n.T("%s is not a site httpsify manages here (no stored request)", e.Name)
}

// RenewalInfoDir holds the cached ARI answers (renewdue.Cache).
func RenewalInfoDir(l statedir.Layout) string { return filepath.Join(l.Root(), "renewal-info") }

// StoredSites lists the primary names with a stored request, sorted.
func StoredSites(l statedir.Layout) ([]string, error) {
	ents, err := os.ReadDir(l.ArchiveRoot())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		if fi, err := os.Lstat(l.Request(e.Name())); err == nil && fi.Mode().IsRegular() {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// Statuses reports every managed site (only the one named, when only is
// set) as of now. It reads the state dir and the certificate files, and
// never the network: the next renewal comes from the lifetime rule and
// the cached ARI answers.
func Statuses(l statedir.Layout, only string, now time.Time) ([]SiteStatus, error) {
	names, err := StoredSites(l)
	if err != nil {
		return nil, err
	}
	if only != "" {
		primary, err := SiteNamed(l, only)
		if err != nil {
			return nil, err
		}
		if primary == "" {
			return nil, &NotManagedError{Name: strings.ToLower(strings.TrimSuffix(only, "."))}
		}
		names = []string{primary}
	}
	out := make([]SiteStatus, 0, len(names))
	for _, n := range names {
		out = append(out, siteStatus(l, n, now))
	}
	return out, nil
}

func siteStatus(l statedir.Layout, name string, now time.Time) SiteStatus {
	st := SiteStatus{Name: name, Names: []string{name}, Source: CertSourceACME, Warnings: []Warning{}}
	warn := func(k WarningKind, attention bool, format string, a ...any) {
		// The format is a catalog key (the i18n test finds warn's calls).
		st.Warnings = append(st.Warnings, Warning{Kind: k, Message: fmt.Sprintf(i18n.Lookup(format), a...), Attention: attention})
		st.Attention = st.Attention || attention
	}
	rec, err := LoadSiteRecord(l, name)
	if err != nil {
		warn(WarnRecordUnusable, false, "%v", err)
	}
	// The newer of the site's record and renew's own record of it.
	if rr := lastRenewal(l, name); rr != nil && (rec == nil || rr.Time.After(rec.Time)) {
		if rec != nil {
			rr.ConfigFile = rec.ConfigFile
		}
		rec = rr
	}
	if rec != nil {
		st.LastRun = &LastRun{Time: rec.Time, Action: rec.Action, OK: rec.OK, Error: rec.Error}
		st.ConfigFile = rec.ConfigFile
		switch {
		case rec.OK:
		case rec.Action == RunRenew:
			warn(WarnRenewalFailing, true, "renewal failing: %s", rec.Error)
		default:
			warn(WarnLastRunFailed, true, "the last %s failed: %s", rec.Action, rec.Error)
		}
	}
	req, err := LoadRequest(l, name)
	if err != nil {
		warn(WarnRequestUnusable, true, "%v", err)
		return st
	}
	st.Names, st.CertDir = req.Domains, req.CertDir
	if requestUploaded(l, name) {
		st.Source = CertSourceUploaded
	} else {
		st.CA, st.Challenge = req.CADirectory, req.Challenge
	}
	if req.FromCertbot() {
		certbotStatus(&st, req)
	}
	leaf, why := installedLeaf(l, req.CertDir)
	if why != "" {
		warn(WarnCertificateFile, true, "%s", why)
		return st
	}
	notAfter := leaf.NotAfter.UTC()
	st.NotAfter = &notAfter
	for _, n := range req.Domains {
		if leaf.VerifyHostname(n) != nil {
			warn(WarnNamesUncovered, true, "the installed certificate does not cover %s", n)
		}
	}
	cache := &renewdue.Cache{Dir: RenewalInfoDir(l), Now: func() time.Time { return now }}
	// No Fetcher: a missing or stale answer is a FetchError, and the
	// decision is still the right one from what is stored.
	d, _, _ := cache.Check(leaf)
	at := d.At.UTC()
	st.NextRenewal, st.RenewalDue, st.RenewalRule = &at, d.Due, string(d.Reason)
	switch left := leaf.NotAfter.Sub(now); {
	case left <= 0:
		warn(WarnExpiresSoon, true, "the certificate expired on %s", notAfter.Format(time.RFC3339))
	case left < ExpirySoon:
		warn(WarnExpiresSoon, true, "the certificate expires in %s (%s)", days(left), notAfter.Format(time.RFC3339))
	}
	if st.Source == CertSourceUploaded {
		// Always said; it needs attention once it is due for renewal.
		warn(WarnCannotRenew, d.Due, "an uploaded certificate: httpsify cannot renew it; upload a new one before %s", notAfter.Format("2006-01-02"))
	}
	return st
}

// installedLeaf reads the certificate the install location links to, or
// says why it cannot be trusted to be the one nginx serves.
func installedLeaf(l statedir.Layout, certDir string) (leafOut *x509.Certificate, why string) {
	if err := certstore.CheckOwnLink(certDir, l.ArchiveRoot()); err != nil {
		return nil, err.Error()
	}
	cur, err := certstore.Current(certDir)
	if err != nil {
		return nil, err.Error()
	}
	if cur == "" {
		return nil, i18n.T("no certificate is installed at %s", certDir)
	}
	// LiveChange checks that the version holds every file nginx reads.
	if _, err := certstore.LiveChange(certDir, cur); err != nil {
		return nil, i18n.T("the certificate files at %s are incomplete: %v", certDir, err)
	}
	leaf, _, err := certstore.ReadVersion(cur)
	if err != nil {
		return nil, i18n.T("the certificate at %s cannot be read: %v", certDir, err)
	}
	return leaf, ""
}

// days is a duration in days (to the nearest), or hours under a day.
func days(d time.Duration) string {
	if d < 24*time.Hour {
		return count(int(d.Hours()), i18n.N("hour"), i18n.N("hours"))
	}
	return count(int((d+12*time.Hour)/(24*time.Hour)), i18n.N("day"), i18n.N("days"))
}

// requestUploaded: the site's certificate was brought by the user, not
// issued by a CA: its stored request says "cert_source": "uploaded" (the
// field issue 12 adds; read from the JSON, the contract between the two,
// so a request without it is an ACME one).
func requestUploaded(l statedir.Layout, primary string) bool {
	f, err := os.OpenFile(l.Request(primary), os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	var r struct {
		CertSource string `json:"cert_source"`
	}
	return json.NewDecoder(io.LimitReader(f, 1<<20)).Decode(&r) == nil && r.CertSource == CertSourceUploaded
}
