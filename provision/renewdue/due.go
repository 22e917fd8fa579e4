// Package renewdue decides when a certificate is due for renewal: when the
// CA's renewal information (ARI, RFC 9773) says so or when a third of its
// lifetime is left, whichever comes first. The rules are pure functions of
// the certificate's dates, the CA's window and the clock; Cache adds the
// stored ARI answers so that a check of many sites asks the CA nothing
// until an answer's Retry-After has passed.
package renewdue

import "time"

// Window is the CA's suggested renewal window.
type Window struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Valid: RFC 9773 calls a window whose end is not after its start invalid.
func (w Window) Valid() bool { return w.End.After(w.Start) }

// Lifetime is a certificate's validity period.
type Lifetime struct{ NotBefore, NotAfter time.Time }

// ThirdLeft is when a third of the lifetime is left (certbot's and Let's
// Encrypt's advice; it is 30 days of a 90-day certificate).
func (l Lifetime) ThirdLeft() time.Time {
	return l.NotAfter.Add(-l.NotAfter.Sub(l.NotBefore) / 3)
}

// Reason names the rule that sets Decision.At.
type Reason string

const (
	ByLifetime Reason = "lifetime" // a third of the lifetime left
	ByARI      Reason = "ari"      // the time chosen in the CA's window
)

// Decision is the verdict for one certificate at one moment.
type Decision struct {
	Due bool
	// At is when renewal is (or became) due.
	At     time.Time
	Reason Reason
	// NextCheck is when a check can next change the verdict: At, or
	// earlier when the CA's answer must be asked again by then. It is now
	// when Due.
	NextCheck time.Time
}

// Decide applies the rules. ariPoint is the time chosen inside the CA's
// window (zero without ARI); ariStale is when that answer must be fetched
// again (zero without ARI). The ARI time counts only when it is earlier
// than the third-left time, so a window that ends after expiry (or lies
// wholly after it) never delays renewal.
func Decide(l Lifetime, ariPoint, ariStale, now time.Time) Decision {
	d := Decision{At: l.ThirdLeft(), Reason: ByLifetime}
	if !ariPoint.IsZero() && ariPoint.Before(d.At) {
		d.At, d.Reason = ariPoint, ByARI
	}
	if !now.Before(d.At) {
		d.Due, d.NextCheck = true, now
		return d
	}
	d.NextCheck = d.At
	if !ariStale.IsZero() && ariStale.Before(d.NextCheck) {
		d.NextCheck = ariStale
	}
	if d.NextCheck.Before(now) {
		d.NextCheck = now
	}
	return d
}

// ChoosePoint picks the moment to renew inside w, uniformly at random as
// RFC 9773 suggests; it is chosen once and stored so that every check
// agrees. int63n is math/rand's Int63n shape (tests pass a fixed one).
func ChoosePoint(w Window, int63n func(int64) int64) time.Time {
	span := w.End.Sub(w.Start)
	if span <= 0 {
		return w.Start
	}
	return w.Start.Add(time.Duration(int63n(int64(span))))
}

// keepPoint says whether a point chosen for an earlier answer still
// serves for w: it must lie inside it (a CA moving the window, say after
// a mass revocation, gets a fresh choice).
func keepPoint(p time.Time, w Window) bool {
	return !p.IsZero() && !p.Before(w.Start) && p.Before(w.End)
}
