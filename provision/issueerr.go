package provision

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	legoacme "github.com/go-acme/lego/v4/acme"

	"github.com/httpsify/httpsify/assets/i18n"
)

// IssueCause is why a certificate could not be issued: the one
// classification the engine, apply and the wizard all use.
type IssueCause int

const (
	CauseOther             IssueCause = iota
	CauseCancelled                    // the user cancelled; nothing changed
	CauseCAUnreachable                // the CA's directory could not be fetched
	CauseAccount                      // the CA refused the account (email, EAB)
	CauseChallengeUnserved            // our own pre-check: the challenge file is not served
	CauseRateLimited                  // the CA's rate limit
	CauseCATimeout                    // the CA did not answer in time
	CauseCAServerError                // the CA answered 5xx
	CauseConnection                   // the CA could not connect to this server
	CauseDNS                          // the CA could not resolve the names
	CauseUnauthorized                 // the CA reached something that did not answer the challenge
	CauseRejected                     // the CA will not issue for these names
)

// IssueError is a failed issuance, classified by the types lego returns
// (acme.ProblemDetails, acme.RateLimitedError, net.Error), never by text.
type IssueError struct {
	Cause IssueCause
	// Problem is the CA's problem type (urn:ietf:params:acme:error:…),
	// "" when the CA sent none.
	Problem string
	// RetryAfter is when the CA allows another try; zero when unsaid.
	RetryAfter time.Time
	// FromCA: the message is the CA's own words.
	FromCA bool
	Err    error
	hint   string
}

func (e *IssueError) Error() string {
	if e.hint == "" {
		return e.Err.Error()
	}
	return e.Err.Error() + "\n→ " + e.hint
}

func (e *IssueError) Unwrap() error { return e.Err }

const acmeErrNS = "urn:ietf:params:acme:error:"

// classifyIssue turns what lego returned into an IssueError. caStatus is
// the last 5xx status the CA answered with (0: none), as the ACME
// transport saw it: lego reports a 5xx with a body that is no problem
// document as plain text only.
func classifyIssue(err error, s *Settings, caStatus int) *IssueError {
	e := &IssueError{Err: err}
	if errors.Is(err, context.Canceled) {
		e.Cause, e.Err = CauseCancelled, errCancelled
		return e
	}
	var rl *legoacme.RateLimitedError
	var pd *legoacme.ProblemDetails
	var ne net.Error
	if errors.As(err, &rl) {
		e.Cause, e.Problem, e.FromCA = CauseRateLimited, rl.Type, true
		e.RetryAfter = retryAfter(rl.RetryAfter, time.Now())
		e.hint = i18n.T("the CA's rate limit was hit: wait before retrying, and test with --ca letsencrypt-staging")
		return e
	}
	if errors.As(err, &pd) {
		e.Problem, e.FromCA = pd.Type, true
	}
	types := problemTypes(pd)
	switch {
	case types[acmeErrNS+"rateLimited"]:
		e.Cause = CauseRateLimited
		e.hint = i18n.T("the CA's rate limit was hit: wait before retrying, and test with --ca letsencrypt-staging")
	case errors.As(err, &ne) && ne.Timeout():
		e.Cause = CauseCATimeout
		e.hint = i18n.T("the CA did not answer in time: it may be overloaded or unreachable from here; nothing was changed, try again later")
	case pd != nil && pd.HTTPStatus >= 500 || pd == nil && caStatus >= 500:
		e.Cause = CauseCAServerError
		e.hint = i18n.T("the CA answered with a server error (HTTP 5xx): the trouble is on its side; nothing was changed, try again later")
	case types[acmeErrNS+"connection"]:
		e.Cause = CauseConnection
		e.hint = i18n.T("the CA could not reach this server on port %d: check the firewall and that the names' DNS A/AAAA records point here", s.HTTPPort)
	case types[acmeErrNS+"dns"]:
		e.Cause = CauseDNS
		e.hint = i18n.T("the CA could not resolve the name: check its DNS records")
	case types[acmeErrNS+"unauthorized"]:
		e.Cause = CauseUnauthorized
		e.hint = i18n.T("the CA fetched something else than the challenge: the names' DNS may point to another server")
	case types[acmeErrNS+"rejectedIdentifier"] || types[acmeErrNS+"caa"]:
		e.Cause = CauseRejected
	case types[acmeErrNS+"invalidContact"] || types[acmeErrNS+"unsupportedContact"] || types[acmeErrNS+"externalAccountRequired"]:
		e.Cause = CauseAccount
	}
	return e
}

// errCancelled is what a cancelled issuance reports; it is a
// context.Canceled.
var errCancelled error = cancelledError{}

type cancelledError struct{}

func (cancelledError) Error() string {
	return i18n.T("cancelled: no certificate was issued and nothing was changed")
}
func (cancelledError) Unwrap() error { return context.Canceled }

// problemTypes are the problem's type and its subproblems' types.
func problemTypes(pd *legoacme.ProblemDetails) map[string]bool {
	out := map[string]bool{}
	if pd == nil {
		return out
	}
	out[pd.Type] = true
	for _, sp := range pd.SubProblems {
		out[sp.Type] = true
	}
	return out
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string, now time.Time) time.Time {
	v = strings.TrimSpace(v)
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return now.Add(time.Duration(n) * time.Second)
	}
	if t, err := time.Parse(time.RFC1123, v); err == nil {
		return t
	}
	return time.Time{}
}
