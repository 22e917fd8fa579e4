package renewdue

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/atomicfile"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/go-acme/lego/v4/acme/api"
	"github.com/go-acme/lego/v4/certificate"
)

// RenewalInfoFetcher asks the CA for a certificate's renewal window.
// lego's *certificate.Certifier (client.Certificate) satisfies it.
type RenewalInfoFetcher interface {
	GetRenewalInfo(certificate.RenewalInfoRequest) (*certificate.RenewalInfoResponse, error)
}

// Polling bounds for the CA's Retry-After: RFC 9773 lets clients bound
// it; a missing one means six hours (what Let's Encrypt sends).
const (
	DefaultRetryAfter = 6 * time.Hour
	MinRetryAfter     = time.Minute
	MaxRetryAfter     = 24 * time.Hour
	// NoARIRetry is how long "this CA has no ARI" is believed.
	NoARIRetry = 24 * time.Hour
)

// Entry is one stored ARI answer.
type Entry struct {
	CertID string `json:"certID"`
	// NoARI: the CA advertises no renewalInfo endpoint.
	NoARI  bool    `json:"noARI,omitempty"`
	Window *Window `json:"window,omitempty"`
	// Point is the moment chosen at random inside Window, once.
	Point time.Time `json:"point,omitzero"`
	// ExplanationURL comes from the CA: sanitise before printing it.
	ExplanationURL string    `json:"explanationURL,omitempty"`
	FetchedAt      time.Time `json:"fetchedAt"`
	// FreshUntil is FetchedAt + the CA's Retry-After (bounded).
	FreshUntil time.Time `json:"freshUntil"`
}

// fresh: fetched no later than now (a clock set back must not stretch the
// CA's Retry-After) and not yet past its Retry-After.
func (e *Entry) fresh(now time.Time) bool {
	return !now.Before(e.FetchedAt) && now.Before(e.FreshUntil)
}

// Cache keeps ARI answers as JSON files (0600, written atomically) in Dir.
type Cache struct {
	Dir string
	// Fetcher is asked only when the stored answer is missing or stale and
	// the third-left rule alone does not already make the certificate due.
	Fetcher RenewalInfoFetcher
	Now     func() time.Time    // nil: time.Now
	Int63n  func(n int64) int64 // nil: math/rand/v2
}

// FetchError is a failed ARI request (other than the CA having no ARI).
// Check still returns a decision with it: by the stored answer when there
// is one, else by the lifetime rule alone.
type FetchError struct {
	CertID string
	Err    error
}

func (e *FetchError) Error() string {
	return i18n.T("renewal info for %s: %v", e.CertID, e.Err)
}
func (e *FetchError) Unwrap() error { return e.Err }

// InvalidWindowError is a CA answer whose window ends before it starts.
type InvalidWindowError struct{ Window Window }

func (e *InvalidWindowError) Error() string {
	return i18n.T("the CA's renewal window ends (%s) before it starts (%s)",
		e.Window.End.Format(time.RFC3339), e.Window.Start.Format(time.RFC3339))
}

// Check decides whether leaf is due, fetching the CA's answer only when
// needed. The decision is valid even when err is non-nil (see FetchError);
// the caller records the error.
func (c *Cache) Check(leaf *x509.Certificate) (Decision, *Entry, error) {
	now := c.now()
	life := Lifetime{NotBefore: leaf.NotBefore, NotAfter: leaf.NotAfter}
	if !now.Before(life.ThirdLeft()) {
		// Due whatever the CA says: no need to ask.
		return Decide(life, time.Time{}, time.Time{}, now), nil, nil
	}
	id, err := certificate.MakeARICertID(leaf)
	if err != nil {
		return Decide(life, time.Time{}, time.Time{}, now), nil, err
	}
	old, err := c.Load(id)
	if err != nil {
		return Decide(life, time.Time{}, time.Time{}, now), nil, err
	}
	if old != nil && old.fresh(now) {
		return decideEntry(life, old, now), old, nil
	}
	if c.Fetcher == nil {
		return decideEntry(life, old, now), old, &FetchError{CertID: id, Err: i18n.Errorf("no fetcher configured")}
	}
	e, ferr := c.fetch(id, leaf, old, now)
	if ferr != nil {
		return decideEntry(life, old, now), old, &FetchError{CertID: id, Err: ferr}
	}
	if err := c.Store(e); err != nil {
		return decideEntry(life, e, now), e, err
	}
	return decideEntry(life, e, now), e, nil
}

// decideEntry applies the rules with a stored answer (nil: none). A stale
// answer still counts: it is the CA's latest word.
func decideEntry(life Lifetime, e *Entry, now time.Time) Decision {
	if e == nil || e.NoARI || e.Window == nil {
		var stale time.Time
		if e != nil {
			stale = e.FreshUntil
		}
		return Decide(life, time.Time{}, stale, now)
	}
	return Decide(life, e.Point, e.FreshUntil, now)
}

func (c *Cache) fetch(id string, leaf *x509.Certificate, old *Entry, now time.Time) (*Entry, error) {
	resp, err := c.Fetcher.GetRenewalInfo(certificate.RenewalInfoRequest{Cert: leaf})
	if errors.Is(err, api.ErrNoARI) {
		return &Entry{CertID: id, NoARI: true, FetchedAt: now, FreshUntil: now.Add(NoARIRetry)}, nil
	}
	if err != nil {
		return nil, err
	}
	w := Window{Start: resp.SuggestedWindow.Start, End: resp.SuggestedWindow.End}
	if !w.Valid() {
		return nil, &InvalidWindowError{Window: w}
	}
	e := &Entry{
		CertID:         id,
		Window:         &w,
		ExplanationURL: resp.ExplanationURL,
		FetchedAt:      now,
		FreshUntil:     now.Add(boundRetryAfter(resp.RetryAfter)),
	}
	if old != nil && keepPoint(old.Point, w) {
		e.Point = old.Point
	} else {
		e.Point = ChoosePoint(w, c.int63n())
	}
	return e, nil
}

func boundRetryAfter(d time.Duration) time.Duration {
	switch {
	case d <= 0:
		return DefaultRetryAfter
	case d < MinRetryAfter:
		return MinRetryAfter
	case d > MaxRetryAfter:
		return MaxRetryAfter
	}
	return d
}

// fileFor names an entry's file by a hash of the cert id, so nothing from
// the certificate shapes a path.
func (c *Cache) fileFor(certID string) string {
	sum := sha256.Sum256([]byte(certID))
	return filepath.Join(c.Dir, hex.EncodeToString(sum[:16])+".json")
}

// Load reads the stored answer for certID; nil when there is none or it
// is unreadable as an entry for that id (it is then fetched again). A
// symbolic link in its place is refused.
func (c *Cache) Load(certID string) (*Entry, error) {
	f, err := os.OpenFile(c.fileFor(certID), os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, i18n.Errorf("renewal info cache: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return nil, i18n.Errorf("renewal info cache: %w", err)
	}
	var e Entry
	if json.Unmarshal(b, &e) != nil || e.CertID != certID {
		return nil, nil
	}
	return &e, nil
}

// Store writes e atomically, 0600, creating Dir (0700) when missing.
func (c *Cache) Store(e *Entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return i18n.Errorf("renewal info cache: %w", err)
	}
	return atomicfile.Write(c.fileFor(e.CertID), b, 0o600)
}

func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Cache) int63n() func(int64) int64 {
	if c.Int63n != nil {
		return c.Int63n
	}
	return rand.Int64N
}

// lego's Certifier is the production fetcher.
var _ RenewalInfoFetcher = (*certificate.Certifier)(nil)
