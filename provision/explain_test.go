package provision

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	legoacme "github.com/go-acme/lego/v4/acme"
)

// timeoutErr is a net.Error that timed out, as net/http returns one.
type timeoutErr struct{ msg string }

func (e timeoutErr) Error() string   { return e.msg }
func (e timeoutErr) Timeout() bool   { return true }
func (e timeoutErr) Temporary() bool { return true }

// lego's errors for a CA that errs or does not answer get a next step, in
// the words a user can act on, and a cause the wizard can act on; the
// classification reads lego's types, never the text.
func TestExplainACMEHints(t *testing.T) {
	s := &Settings{Host: Host{HTTPPort: 80}}
	wrap := func(err error) error { return fmt.Errorf("the CA did not issue the certificate: %w", err) }
	cases := []struct {
		err      error
		caStatus int
		cause    IssueCause
		want     string
	}{
		// A 5xx whose body is no problem document: lego says it as text only.
		{wrap(errors.New(`500 ::POST :: https://ca.test/order-plz :: invalid character 'u' looking for beginning of value :: upstream connect error`)), 500, CauseCAServerError, "server error (HTTP 5xx)"},
		{wrap(&legoacme.ProblemDetails{HTTPStatus: 503, Method: "POST", URL: "https://ca.test/finalize/1", Type: acmeErrNS + "serverInternal", Detail: "busy"}), 0, CauseCAServerError, "server error (HTTP 5xx)"},
		{wrap(&url.Error{Op: "Post", URL: "https://ca.test/finalize/1", Err: timeoutErr{"net/http: request canceled (Client.Timeout exceeded while awaiting headers)"}}), 0, CauseCATimeout, "did not answer in time"},
		{wrap(&url.Error{Op: "Get", URL: "https://ca.test/dir", Err: timeoutErr{"net/http: TLS handshake timeout"}}), 0, CauseCATimeout, "did not answer in time"},
		{wrap(&legoacme.RateLimitedError{ProblemDetails: &legoacme.ProblemDetails{HTTPStatus: 429, Type: legoacme.RateLimitedErr, Detail: "too many"}, RetryAfter: "3600"}), 0, CauseRateLimited, "rate limit"},
		{wrap(&legoacme.ProblemDetails{HTTPStatus: 403, Type: acmeErrNS + "unauthorized", SubProblems: []legoacme.SubProblem{{Type: acmeErrNS + "connection"}}}), 0, CauseConnection, "could not reach this server on port 80"},
	}
	for _, c := range cases {
		ie := classifyIssue(c.err, s, c.caStatus)
		got := ie.Error()
		if ie.Cause != c.cause || !strings.HasPrefix(got, c.err.Error()) || !strings.Contains(got, "→ ") || !strings.Contains(got, c.want) {
			t.Errorf("classifyIssue(%q) = cause %d %q, want cause %d, the error and a hint with %q", c.err, ie.Cause, got, c.cause, c.want)
		}
	}
	// A 4xx problem that is not a server error gets no 5xx hint, even
	// when its text says 500.
	if got := classifyIssue(wrap(&legoacme.ProblemDetails{HTTPStatus: 400, Type: acmeErrNS + "malformed", Detail: "500 bad"}), s, 0); got.Cause == CauseCAServerError || strings.Contains(got.Error(), "5xx") {
		t.Errorf("a 400 got the server-error hint: %q", got)
	}
	// The rate limit's Retry-After and problem type are kept.
	rl := classifyIssue(&legoacme.RateLimitedError{ProblemDetails: &legoacme.ProblemDetails{HTTPStatus: 429, Type: legoacme.RateLimitedErr}, RetryAfter: "3600"}, s, 0)
	if rl.Problem != legoacme.RateLimitedErr || time.Until(rl.RetryAfter) < 59*time.Minute {
		t.Errorf("rate limit: problem %q, retry after %v", rl.Problem, rl.RetryAfter)
	}
	// Cancelling says so, and stays a context.Canceled.
	if c := classifyIssue(context.Canceled, s, 0); c.Cause != CauseCancelled || !errors.Is(c, context.Canceled) || !strings.HasPrefix(c.Error(), "cancelled") {
		t.Errorf("cancel: %v", c)
	}
}
