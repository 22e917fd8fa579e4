package provision

import (
	"errors"
	"strings"
	"testing"
)

// lego's errors for a CA that errs or does not answer get a next step, in
// the words a user can act on.
func TestExplainACMEHints(t *testing.T) {
	s := &Settings{Host: Host{HTTPPort: 80}}
	cases := []struct{ lego, want string }{
		{`500 ::POST :: https://ca.test/order-plz :: invalid character 'u' looking for beginning of value :: upstream connect error`, "server error (HTTP 5xx)"},
		{`acme: error: 503 :: POST :: https://ca.test/finalize/1 :: urn:ietf:params:acme:error:serverInternal :: busy`, "server error (HTTP 5xx)"},
		{`Post "https://ca.test/finalize/1": net/http: request canceled (Client.Timeout exceeded while awaiting headers)`, "did not answer in time"},
		{`Get "https://ca.test/dir": net/http: TLS handshake timeout`, "did not answer in time"},
		{`acme: error: 429 :: POST :: https://ca.test/order-plz :: urn:ietf:params:acme:error:rateLimited :: too many`, "rate limit"},
	}
	for _, c := range cases {
		got := explainACME(errors.New(c.lego), s).Error()
		if !strings.HasPrefix(got, c.lego) || !strings.Contains(got, "→ ") || !strings.Contains(got, c.want) {
			t.Errorf("explainACME(%q) = %q, want the error and a hint with %q", c.lego, got, c.want)
		}
	}
	// A 4xx problem that is not a server error gets no 5xx hint.
	if got := explainACME(errors.New(`acme: error: 400 :: POST :: x :: urn:ietf:params:acme:error:malformed :: 500 bad`), s).Error(); strings.Contains(got, "5xx") {
		t.Errorf("a 400 got the server-error hint: %q", got)
	}
}
