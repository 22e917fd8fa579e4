package provision

import (
	"context"
	"fmt"
	"strconv"

	"github.com/go-acme/lego/v4/challenge"
	"github.com/go-acme/lego/v4/challenge/dns01"
	"github.com/go-acme/lego/v4/challenge/http01"
	"github.com/go-acme/lego/v4/lego"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Challenge is how the CA checks that this server controls the names.
// Each kind owns its preparation, its pre-check and its lego provider,
// like certbot's Authenticator (perform, cleanup) and certmagic's
// PreChecker. The engine calls, in this order: Plan (pure, while
// planning), Prepare (local only, before the CA is contacted), Perform
// (after the CA and the account answered; may change the web server's
// config, and returns the cleanup that undoes it whatever happens),
// PreCheck (proves the CA would succeed, before an order is spent), then
// Provider for lego.
//
// DNS-01 (next) fits the same shape: Plan checks the provider code and
// its credentials, Perform changes nothing, PreCheck looks the records up
// through the configured resolvers (DNSChallenge.Resolvers), Provider is
// the DNS provider built from the code and credentials.
type Challenge interface {
	// Type is the ACME challenge type answered.
	Type() challenge.Type
	// Plan adds what the challenge needs of the web server to the plan.
	Plan(p *Plan) error
	// Prepare readies what needs no change to the web server (a webroot).
	Prepare(ctx context.Context, p *Plan) error
	// Perform makes the challenge answerable; cleanup (never nil on
	// success) undoes it.
	Perform(ctx context.Context, x *Session, p *Plan) (cleanup func(), err error)
	// PreCheck fails fast, before the CA is asked, when the CA would fail.
	PreCheck(ctx context.Context, x *Session, p *Plan) error
	// Provider is lego's solver for this challenge.
	Provider(p *Plan) (challenge.Provider, error)
}

// DNSChallenge is a DNS-01 challenge's extra: the resolvers lego checks
// propagation with.
type DNSChallenge interface {
	Challenge
	Resolvers() []string
}

// planChallenge picks the challenge for the request and lets it plan. For
// HTTP-01 the web server decides: it answers through its running config,
// or (nothing listens on the HTTP port) lego's own listener does.
func planChallenge(p *Plan) (Challenge, error) {
	switch p.Settings.Challenge {
	case "", "http-01":
		return p.Detection.Server.PlanChallenge(p)
	case "dns-01":
		return &DNS01{}, nil // no web server edit, no port 80
	}
	return nil, fieldErr(FlagChallenge, fmt.Errorf("%q is not supported (use http-01 or dns-01)", p.Settings.Challenge))
}

// setProvider is the one place lego is told which challenge to solve.
func setProvider(client *lego.Client, ch Challenge, p *Plan) error {
	provider, err := ch.Provider(p)
	if err != nil {
		return err
	}
	switch ch.Type() {
	case challenge.HTTP01:
		return client.Challenge.SetHTTP01Provider(provider)
	case challenge.DNS01:
		var opts []dns01.ChallengeOption
		if d, ok := ch.(interface {
			challengeOptions() []dns01.ChallengeOption
		}); ok {
			opts = d.challengeOptions() // DNS01: its propagation checks
		} else if d, ok := ch.(DNSChallenge); ok && len(d.Resolvers()) > 0 {
			opts = append(opts, dns01.AddRecursiveNameservers(d.Resolvers()))
		}
		return client.Challenge.SetDNS01Provider(provider, opts...)
	}
	return fmt.Errorf("internal error: no solver for %s", ch.Type())
}

// HTTP01Server answers HTTP-01 through the running web server: a
// temporary location serves the webroot on the HTTP port while the CA
// checks.
type HTTP01Server struct {
	// Edits make the port-80 server answer ACME challenges; empty when
	// it already does.
	Edits []FileChange
}

func (HTTP01Server) Type() challenge.Type { return challenge.HTTP01 }

// Plan: the server planned its temporary edits (Edits) in planChallenge.
func (HTTP01Server) Plan(p *Plan) error { return nil }

func (HTTP01Server) Prepare(ctx context.Context, p *Plan) error { return prepareWebroot(p.Webroot) }

// Perform swaps the temporary edits in and reloads the server.
func (h HTTP01Server) Perform(ctx context.Context, x *Session, p *Plan) (func(), error) {
	if len(h.Edits) == 0 {
		return func() {}, nil // the server already serves the webroot
	}
	x.Sink.emit(PhasePrepare, KindStart, "letting %s answer the CA's challenge on port %d", p.Detection.Name, p.Settings.HTTPPort)
	prep, err := x.commit(ctx, p, h.Edits)
	if err != nil {
		return nil, err
	}
	return func() { x.restore(ctx, p, PhasePrepare, i18n.N("temporary challenge location removed again"), prep) }, nil
}

// PreCheck fetches a test file through the HTTP port, as the CA will.
func (HTTP01Server) PreCheck(ctx context.Context, x *Session, p *Plan) error {
	if err := selfCheck(ctx, p); err != nil {
		x.Sink.emit(PhasePrepare, KindFail, "%v", err)
		return err
	}
	x.Sink.emit(PhasePrepare, KindOK, "port %d serves challenge files from %s", p.Settings.HTTPPort, p.Webroot)
	return nil
}

func (HTTP01Server) Provider(p *Plan) (challenge.Provider, error) {
	return webrootProvider{dir: p.Webroot}, nil
}

// HTTP01Standalone answers HTTP-01 with lego's own listener, when nothing
// listens on the HTTP port.
type HTTP01Standalone struct{}

func (HTTP01Standalone) Type() challenge.Type { return challenge.HTTP01 }
func (HTTP01Standalone) Plan(p *Plan) error   { return nil }

// Prepare readies the webroot all the same: the site written afterwards
// serves it for the next renewal.
func (HTTP01Standalone) Prepare(ctx context.Context, p *Plan) error {
	return prepareWebroot(p.Webroot)
}

func (HTTP01Standalone) Perform(ctx context.Context, x *Session, p *Plan) (func(), error) {
	return func() {}, nil
}

// PreCheck: the listener is lego's own; nothing to fetch through before.
func (HTTP01Standalone) PreCheck(ctx context.Context, x *Session, p *Plan) error { return nil }

func (HTTP01Standalone) Provider(p *Plan) (challenge.Provider, error) {
	return http01.NewProviderServer("", strconv.Itoa(p.Settings.HTTPPort)), nil
}
