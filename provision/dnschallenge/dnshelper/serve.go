package dnshelper

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/go-acme/lego/v4/challenge"
	"github.com/go-acme/lego/v4/challenge/dns01"
)

// maxLine bounds one request: credentials are a few lines of text.
const maxLine = 1 << 20

// Build makes lego's provider for a code from the environment (in the
// helper: lego's NewDNSChallengeProviderByName).
type Build func(code string) (challenge.Provider, error)

// Known says whether a code is one the helper can build.
type Known func(code string) bool

// Serve answers requests from in on out until in ends (nil) or a line
// cannot be written. It is the helper's whole life, and it owns the
// process environment: open sets the provider's variables in it, where
// lego reads them, and they stay there for the SDKs that read them again
// at request time.
func Serve(in io.Reader, out io.Writer, known Known, build Build) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	enc := json.NewEncoder(out)
	var prov challenge.Provider
	for sc.Scan() {
		var req Request
		var resp Response
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			resp.Error = &Error{Kind: KindProtocol, Message: "malformed request: " + err.Error()}
		} else {
			prov, resp = handle(req, prov, known, build)
		}
		if err := enc.Encode(resp); err != nil {
			return err
		}
	}
	return sc.Err()
}

func handle(req Request, prov challenge.Provider, known Known, build Build) (challenge.Provider, Response) {
	fail := func(k Kind, format string, args ...any) (challenge.Provider, Response) {
		return prov, Response{Error: &Error{Kind: k, Message: fmt.Sprintf(format, args...)}}
	}
	switch req.Op {
	case OpOpen:
		if prov != nil {
			return fail(KindProtocol, "a provider is already open")
		}
		if !known(req.Provider) {
			return fail(KindUnknownProvider, "DNS provider %q is not one this helper knows", req.Provider)
		}
		for name, v := range req.Values {
			if err := os.Setenv(name, v); err != nil {
				return fail(KindConfig, "setting %s: %v", name, err)
			}
		}
		if len(req.Resolvers) > 0 {
			_ = dns01.AddRecursiveNameservers(req.Resolvers)(nil) // sets lego's process-wide resolvers; never fails
		}
		if req.QueryTimeout > 0 {
			_ = dns01.AddDNSTimeout(req.QueryTimeout)(nil)
		}
		p, err := build(req.Provider)
		if err != nil {
			return fail(KindConfig, "%v", err)
		}
		return p, opened(p)
	case OpPresent, OpCleanUp:
		if prov == nil {
			return fail(KindProtocol, "%s before open", req.Op)
		}
		if req.Op == OpPresent {
			if err := prov.Present(req.Domain, req.Token, req.KeyAuth); err != nil {
				return fail(KindPresent, "%v", err)
			}
		} else if err := prov.CleanUp(req.Domain, req.Token, req.KeyAuth); err != nil {
			return fail(KindCleanUp, "%v", err)
		}
		return prov, Response{}
	}
	return fail(KindProtocol, "unknown operation %q", req.Op)
}

// opened describes p's timing, as lego would read it in process.
func opened(p challenge.Provider) Response {
	var r Response
	if t, ok := p.(challenge.ProviderTimeout); ok {
		r.Timeout, r.Interval = t.Timeout()
	}
	if s, ok := p.(interface{ Sequential() time.Duration }); ok {
		d := s.Sequential()
		r.Sequential = &d
	}
	return r
}
