package dnschallenge

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-acme/lego/v4/challenge"
	"github.com/go-acme/lego/v4/challenge/dns01"
	"github.com/miekg/dns"
)

// Propagation checks that a TXT record is on every authoritative server of
// its zone before the CA is told to look, reporting each answer.
type Propagation struct {
	// Resolvers ("host:port") find the zone, its NS records and their
	// addresses, and are what lego follows CNAMEs with. Required: there is
	// no fallback to /etc/resolv.conf.
	Resolvers []string
	// NSPort is the port the authoritative servers are asked on; 0 means
	// 53. Only a private test zone needs another.
	NSPort int
	// Timeout bounds the wait for one record once it is in place (for
	// manual mode: counted from the user's go-ahead). 0 means the
	// provider's own propagation timeout (its *_PROPAGATION_TIMEOUT
	// option), or 2 minutes.
	Timeout time.Duration
	// Interval is the pause between rounds of queries; 0 means 1 s.
	Interval time.Duration
	// QueryTimeout bounds one DNS query; 0 means 5 s.
	QueryTimeout time.Duration
	// OnEvent receives EventChecked and EventPropagated; may be nil.
	OnEvent func(Event)

	mu              sync.Mutex
	servers         map[string][]nameserver // zone → its authoritative servers
	providerTimeout time.Duration           // from the provider Setup wrapped
}

type nameserver struct {
	name, addr string // "ns1.example.com.", "192.0.2.1:53"
}

func (n nameserver) String() string { return n.name + " " + n.addr }

// ErrNoResolvers: Propagation.Resolvers is empty.
var ErrNoResolvers = errors.New("dnschallenge: no DNS resolvers configured for propagation checks")

// Setup returns what to hand lego's SetDNS01Provider: provider wrapped so
// lego polls at our pace (its sequence interval, if any, kept), and the
// options that route lego's own DNS lookups to Resolvers and replace its
// pre-check with Wait. If provider is a *Manual, the user is asked for the
// go-ahead before the first check.
//
// dns01.AddRecursiveNameservers and AddDNSTimeout set process-wide lego
// variables (lego v4 has no per-challenge resolver); they are set to the
// same values for every order of a run, which is all a process does.
func (p *Propagation) Setup(ctx context.Context, provider challenge.Provider) (challenge.Provider, []dns01.ChallengeOption, error) {
	if len(p.Resolvers) == 0 {
		return nil, nil, ErrNoResolvers
	}
	manual, _ := provider.(*Manual)
	if t, ok := provider.(challenge.ProviderTimeout); ok {
		timeout, _ := t.Timeout()
		p.mu.Lock()
		p.providerTimeout = timeout
		p.mu.Unlock()
	}
	wrapped := tuned{Provider: provider, timeout: 24 * time.Hour, interval: 100 * time.Millisecond}
	var out challenge.Provider = wrapped
	if s, ok := provider.(interface{ Sequential() time.Duration }); ok {
		out = tunedSequential{tuned: wrapped, sequence: s.Sequential()}
	}
	opts := []dns01.ChallengeOption{
		dns01.AddRecursiveNameservers(p.Resolvers),
		dns01.AddDNSTimeout(p.queryTimeout()),
		dns01.WrapPreCheck(p.PreCheck(ctx, manual)),
	}
	return out, opts, nil
}

// PreCheck is the pre-check Setup installs, for callers that wire lego
// themselves: it replaces lego's check (its argument is ignored) with
// Wait, after manual's go-ahead when manual is not nil. It always returns
// true: lego's wait loop stops only on true, and a false with an error
// would poll on instead of failing.
func (p *Propagation) PreCheck(ctx context.Context, manual *Manual) dns01.WrapPreCheckFunc {
	return func(domain, fqdn, value string, _ dns01.PreCheckFunc) (bool, error) {
		r := Record{Domain: domain, Name: fqdn, Value: value}
		if manual != nil {
			if err := manual.awaitGoAhead(r); err != nil {
				return true, err
			}
		}
		return true, p.Wait(ctx, r)
	}
}

// tuned hands lego our timing: the pre-check (Wait) does its own waiting
// against its own deadline, so lego's loop gets a generous bound and a
// short first pause (lego sleeps one interval before the first check).
type tuned struct {
	challenge.Provider // embeds only Present and CleanUp: hides Sequential
	timeout, interval  time.Duration
}

func (t tuned) Timeout() (time.Duration, time.Duration) { return t.timeout, t.interval }

type tunedSequential struct {
	tuned
	sequence time.Duration
}

func (t tunedSequential) Sequential() time.Duration { return t.sequence }

// Wait checks r round after round until every authoritative server has it,
// the timeout passes, or ctx ends.
func (p *Propagation) Wait(ctx context.Context, r Record) error {
	timeout := p.timeout()
	deadline := time.Now().Add(timeout)
	for {
		done, err := p.Check(ctx, r)
		if done || err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return &NotPropagatedError{Record: r, Timeout: timeout}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(orDefault(p.Interval, time.Second)):
		}
	}
}

// NotPropagatedError: some authoritative server still lacked the record
// when the time was up.
type NotPropagatedError struct {
	Record  Record
	Timeout time.Duration
}

func (e *NotPropagatedError) Error() string {
	return fmt.Sprintf("TXT %s %q was not on every authoritative server after %s", e.Record.Name, e.Record.Value, e.Timeout)
}

// Check asks each authoritative server of r's zone once, reporting an
// EventChecked per server address; true when every NS name had it at one
// of its addresses at least (then EventPropagated). An address that
// cannot be asked counts as not having it; one name's IPv6 address is not
// required when its IPv4 one answered (hosts without IPv6 are common).
func (p *Propagation) Check(ctx context.Context, r Record) (bool, error) {
	servers, err := p.authoritative(r.Name)
	if err != nil {
		return false, err
	}
	seenBy := map[string]bool{} // NS name → seen at some address
	for _, ns := range servers {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		seen, err := p.hasTXT(ns.addr, r.Name, r.Value)
		emit(p.OnEvent, Event{Kind: EventChecked, Record: r, Server: ns.String(), Seen: seen, Err: err})
		seenBy[ns.name] = seenBy[ns.name] || seen
	}
	all := true
	for _, seen := range seenBy {
		all = all && seen
	}
	if all {
		emit(p.OnEvent, Event{Kind: EventPropagated, Record: r})
	}
	return all, nil
}

// ZoneError: the zone or its servers could not be found through Resolvers.
type ZoneError struct {
	Name string
	Err  error
}

func (e *ZoneError) Error() string {
	return fmt.Sprintf("finding the authoritative servers of %s: %v", e.Name, e.Err)
}
func (e *ZoneError) Unwrap() error { return e.Err }

// authoritative finds fqdn's zone (SOA search through Resolvers), its NS
// names and their addresses; cached per zone for the life of p.
func (p *Propagation) authoritative(fqdn string) ([]nameserver, error) {
	resolvers := dns01.ParseNameservers(p.Resolvers)
	zone, err := dns01.FindZoneByFqdnCustom(fqdn, resolvers)
	if err != nil {
		return nil, &ZoneError{Name: fqdn, Err: err}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if s, ok := p.servers[zone]; ok {
		return s, nil
	}
	names, err := p.lookup(zone, dns.TypeNS, resolvers)
	if err != nil || len(names) == 0 {
		if err == nil {
			err = errors.New("no NS records")
		}
		return nil, &ZoneError{Name: zone, Err: err}
	}
	port := strconv.Itoa(p.NSPort)
	if p.NSPort == 0 {
		port = "53"
	}
	var servers []nameserver
	for _, name := range names {
		var addrs []string
		for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
			a, err := p.lookup(name, t, resolvers)
			if err != nil {
				return nil, &ZoneError{Name: zone, Err: fmt.Errorf("address of %s: %w", name, err)}
			}
			addrs = append(addrs, a...)
		}
		if len(addrs) == 0 {
			return nil, &ZoneError{Name: zone, Err: fmt.Errorf("%s has no address", name)}
		}
		for _, a := range addrs {
			servers = append(servers, nameserver{name: name, addr: net.JoinHostPort(a, port)})
		}
	}
	if p.servers == nil {
		p.servers = map[string][]nameserver{}
	}
	p.servers[zone] = servers
	return servers, nil
}

// lookup asks the resolvers, in order, for name's NS or address records.
func (p *Propagation) lookup(name string, t uint16, resolvers []string) ([]string, error) {
	m := new(dns.Msg).SetQuestion(dns.Fqdn(name), t)
	m.SetEdns0(4096, false)
	var errs []error
	for _, res := range resolvers {
		in, err := p.exchange(m, res)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if in.Rcode != dns.RcodeSuccess && in.Rcode != dns.RcodeNameError {
			errs = append(errs, fmt.Errorf("%s answered %s", res, dns.RcodeToString[in.Rcode]))
			continue
		}
		var out []string
		for _, rr := range in.Answer {
			switch v := rr.(type) {
			case *dns.NS:
				out = append(out, strings.ToLower(v.Ns))
			case *dns.A:
				out = append(out, v.A.String())
			case *dns.AAAA:
				out = append(out, v.AAAA.String())
			}
		}
		return out, nil
	}
	return nil, errors.Join(errs...)
}

// hasTXT asks one authoritative server, without recursion, whether name
// has value among its TXT records.
func (p *Propagation) hasTXT(server, name, value string) (bool, error) {
	m := new(dns.Msg).SetQuestion(name, dns.TypeTXT)
	m.RecursionDesired = false
	m.SetEdns0(4096, false)
	in, err := p.exchange(m, server)
	if err != nil {
		return false, err
	}
	if in.Rcode != dns.RcodeSuccess && in.Rcode != dns.RcodeNameError {
		return false, fmt.Errorf("%s answered %s", server, dns.RcodeToString[in.Rcode])
	}
	for _, rr := range in.Answer {
		if t, ok := rr.(*dns.TXT); ok && strings.Join(t.Txt, "") == value {
			return true, nil
		}
	}
	return false, nil
}

// exchange is UDP, then TCP when the answer was truncated.
func (p *Propagation) exchange(m *dns.Msg, server string) (*dns.Msg, error) {
	c := &dns.Client{Net: "udp", Timeout: p.queryTimeout()}
	in, _, err := c.Exchange(m, server)
	if err == nil && in.Truncated {
		c.Net = "tcp"
		in, _, err = c.Exchange(m, server)
	}
	return in, err
}

func (p *Propagation) timeout() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return orDefault(p.Timeout, orDefault(p.providerTimeout, 2*time.Minute))
}

func (p *Propagation) queryTimeout() time.Duration { return orDefault(p.QueryTimeout, 5*time.Second) }

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
