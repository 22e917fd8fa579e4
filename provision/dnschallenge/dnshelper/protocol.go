// Package dnshelper is the protocol between httpsify and its DNS provider
// helper (cmd/httpsify-dns-provider), the separate program that links
// lego's ~190 DNS providers so that httpsify itself does not: their
// package initialisation alone would cost every start of httpsify about
// 16 ms and its binary 40 MiB.
//
// One JSON object per line each way, strictly request then response, over
// the helper's stdin and stdout. The first request opens one provider with
// its credentials (on stdin, never in argv); then present and cleanup
// requests follow. The helper exits when its stdin closes. Errors come
// back with a Kind, so the caller never matches their text.
package dnshelper

import "time"

// Operations.
const (
	OpOpen    = "open"
	OpPresent = "present"
	OpCleanUp = "cleanup"
)

// Request is one line from httpsify to the helper.
type Request struct {
	Op string `json:"op"`

	// open: the catalog code, the values of its variables (lego's
	// providers read them from the environment, so the helper sets them in
	// its own), the resolvers lego finds zones and follows CNAMEs through,
	// and its DNS query timeout (0: lego's default).
	Provider     string            `json:"provider,omitempty"`
	Values       map[string]string `json:"values,omitempty"`
	Resolvers    []string          `json:"resolvers,omitempty"`
	QueryTimeout time.Duration     `json:"query_timeout,omitempty"`

	// present, cleanup: lego's arguments.
	Domain  string `json:"domain,omitempty"`
	Token   string `json:"token,omitempty"`
	KeyAuth string `json:"key_auth,omitempty"`
}

// Response is the helper's answer to one Request.
type Response struct {
	Error *Error `json:"error,omitempty"`

	// open: the provider's ChallengeProviderTimeout, and its sequence
	// interval when it solves one challenge at a time (nil otherwise).
	Timeout    time.Duration  `json:"timeout,omitempty"`
	Interval   time.Duration  `json:"interval,omitempty"`
	Sequential *time.Duration `json:"sequential,omitempty"`
}

// Kind classifies a helper's error.
type Kind string

const (
	// KindProtocol: a request the helper cannot take (malformed, an
	// operation before open, a second open). A bug, not the user's doing.
	KindProtocol Kind = "protocol"
	// KindUnknownProvider: the code is not one the helper knows (a helper
	// from another version of httpsify).
	KindUnknownProvider Kind = "unknown_provider"
	// KindConfig: lego refused the provider's configuration (a missing or
	// malformed variable); the message names variables, never values.
	KindConfig Kind = "config"
	// KindPresent, KindCleanUp: the provider failed to create or delete
	// a record (its API refused, could not be reached, ...).
	KindPresent Kind = "present"
	KindCleanUp Kind = "cleanup"
)

// Error is a helper's error: its kind and lego's message.
type Error struct {
	Kind    Kind   `json:"kind"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Message }
