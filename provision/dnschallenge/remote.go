package dnschallenge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/go-acme/lego/v4/challenge"

	"github.com/httpsify/httpsify/provision/dnschallenge/dnshelper"
)

// Helper says how to run the DNS provider helper.
type Helper struct {
	Path string   // FindHelper's answer
	Env  []string // its whole environment: the engine's allowlist for children, nothing more
	// Resolvers are what lego, in the helper, finds zones and follows
	// CNAMEs through (Propagation's); QueryTimeout bounds its queries (0:
	// lego's default).
	Resolvers    []string
	QueryTimeout time.Duration
}

// Provider is a lego DNS provider running in the helper: lego's
// Present, CleanUp and Timeout, and Close, which ends the helper.
// Providers that solve one challenge at a time also have Sequential,
// as in process.
type Provider interface {
	challenge.Provider
	challenge.ProviderTimeout
	Close() error
}

// HelperError is an error the helper reported, by kind: KindConfig and
// KindUnknownProvider are about the credentials or the code, the others
// about the provider's API or the helper itself.
type HelperError struct {
	Provider string
	Kind     dnshelper.Kind
	Message  string // lego's; names variables, never values
}

func (e *HelperError) Error() string { return "DNS provider " + e.Provider + ": " + e.Message }

// HelperExitedError: the helper could not be started, or ended (or
// answered nonsense) before answering.
type HelperExitedError struct {
	Path   string
	Stderr string // its last words, if any
	Err    error
}

func (e *HelperExitedError) Error() string {
	msg := fmt.Sprintf("the DNS provider helper %s: %v", e.Path, e.Err)
	if e.Stderr != "" {
		msg += ": " + e.Stderr
	}
	return msg
}

func (e *HelperExitedError) Unwrap() error { return e.Err }

// OpenProvider starts the helper and opens c's provider in it: lego
// builds the provider from c's values there (exactly those: the helper's
// environment holds nothing else of the provider's), so bad credentials
// are refused here, before anything is sent to the provider's API. The
// values travel on the helper's stdin, never in its argv or environment
// at start. The helper is killed when ctx ends; Close ends it otherwise.
func OpenProvider(ctx context.Context, h Helper, c Credentials) (Provider, error) {
	p, err := lookupProvider(c.provider)
	if err != nil {
		return nil, err
	}
	if p.Code == ManualCode {
		return nil, ErrManualNeedsUI
	}
	values := map[string]string{}
	for name, v := range fastDefaults[p.Code] {
		values[name] = v
	}
	for name, v := range c.values {
		values[name] = v
	}
	r, err := startHelper(ctx, h, p.Code)
	if err != nil {
		return nil, err
	}
	resp, err := r.call(dnshelper.Request{Op: dnshelper.OpOpen, Provider: p.Code, Values: values,
		Resolvers: h.Resolvers, QueryTimeout: h.QueryTimeout})
	if err != nil {
		r.Close()
		return nil, err
	}
	r.timeout, r.interval = resp.Timeout, resp.Interval
	if resp.Sequential != nil {
		return &sequentialRemote{remote: r, sequence: *resp.Sequential}, nil
	}
	return r, nil
}

// remote is one running helper. Calls are one at a time: the protocol is
// request then response.
type remote struct {
	code   string
	path   string
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	dec    *json.Decoder
	stderr *tailBuffer
	ctx    context.Context

	mu                sync.Mutex
	closed            bool
	timeout, interval time.Duration
}

func startHelper(ctx context.Context, h Helper, code string) (*remote, error) {
	cmd := exec.CommandContext(ctx, h.Path)
	cmd.Env = h.Env
	if cmd.Env == nil {
		cmd.Env = []string{} // never this process's environment
	}
	cmd.WaitDelay = 5 * time.Second
	r := &remote{code: code, path: h.Path, cmd: cmd, stderr: &tailBuffer{max: 2048}, ctx: ctx}
	cmd.Stderr = r.stderr
	var err error
	if r.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, &HelperExitedError{Path: h.Path, Err: err}
	}
	r.dec = json.NewDecoder(out)
	return r, nil
}

func (r *remote) call(req dnshelper.Request) (dnshelper.Response, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var resp dnshelper.Response
	if r.closed {
		return resp, &HelperExitedError{Path: r.path, Err: errors.New("already closed")}
	}
	line, err := json.Marshal(req)
	if err == nil {
		_, err = r.stdin.Write(append(line, '\n'))
	}
	if err == nil {
		err = r.dec.Decode(&resp)
	}
	if err != nil {
		if cerr := r.ctx.Err(); cerr != nil {
			return resp, cerr
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = errors.New("exited before answering")
		}
		return resp, &HelperExitedError{Path: r.path, Stderr: r.stderr.String(), Err: err}
	}
	if resp.Error != nil {
		return resp, &HelperError{Provider: r.code, Kind: resp.Error.Kind, Message: resp.Error.Message}
	}
	return resp, nil
}

// Present creates the TXT record through the helper.
func (r *remote) Present(domain, token, keyAuth string) error {
	_, err := r.call(dnshelper.Request{Op: dnshelper.OpPresent, Domain: domain, Token: token, KeyAuth: keyAuth})
	return err
}

// CleanUp deletes it.
func (r *remote) CleanUp(domain, token, keyAuth string) error {
	_, err := r.call(dnshelper.Request{Op: dnshelper.OpCleanUp, Domain: domain, Token: token, KeyAuth: keyAuth})
	return err
}

// Timeout is the provider's own, as the helper reported it.
func (r *remote) Timeout() (time.Duration, time.Duration) { return r.timeout, r.interval }

// Close closes the helper's stdin, which ends it, and waits for it (it
// is killed after WaitDelay if it does not end).
func (r *remote) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	r.stdin.Close()
	err := r.cmd.Wait()
	if r.ctx.Err() != nil {
		return nil // killed on purpose
	}
	return err
}

// sequentialRemote is a remote whose provider solves one challenge at a
// time, with this pause between them.
type sequentialRemote struct {
	*remote
	sequence time.Duration
}

func (s *sequentialRemote) Sequential() time.Duration { return s.sequence }

// tailBuffer keeps the last max bytes written.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = t.b[over:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(bytes.ToValidUTF8(t.b, nil)))
}
