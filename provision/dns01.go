package provision

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/go-acme/lego/v4/challenge"
	"github.com/go-acme/lego/v4/challenge/dns01"
	"github.com/miekg/dns"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/dnschallenge"
	"github.com/httpsify/httpsify/provision/termtext"
	"github.com/httpsify/httpsify/provision/validate"
)

// DNS01 answers the CA through the names' DNS: a TXT record per name,
// created by a lego DNS provider (or by the user, in manual mode). It
// changes nothing in the web server and needs no port 80, and it is the
// only challenge that can prove a wildcard.
type DNS01 struct {
	resolvers []string
	helper    dnschallenge.Helper
	provider  challenge.Provider
	opts      []dns01.ChallengeOption
}

// Type is dns-01.
func (*DNS01) Type() challenge.Type { return challenge.DNS01 }

// Resolvers are the servers the zone is found through (DNSChallenge).
func (d *DNS01) Resolvers() []string { return d.resolvers }

// Plan builds the provider from its code and credentials in the helper
// (local: nothing is sent), so bad credentials are refused before the CA
// is contacted; Perform starts it again for the order.
func (d *DNS01) Plan(p *Plan) error {
	s := p.Settings
	var err error
	if d.resolvers, err = dnsResolvers(s.DNSResolvers); err != nil {
		return fieldErr(FlagDNSResolver, err)
	}
	if s.DNSProvider == dnschallenge.ManualCode {
		if s.DNSAsk == nil {
			return fieldErr(FlagDNSProvider, errors.New("manual DNS needs someone to add the TXT records: run httpsify from a terminal, or choose a provider it can update"))
		}
		p.Warnings = append(p.Warnings, i18n.T("manual DNS: this certificate cannot renew unattended (each renewal needs new TXT records by hand); a DNS provider with an API can (httpsify dns-providers)"))
		return nil
	}
	if s.DNSCredentials == nil {
		return fieldErr(FlagDNSCredentials, errors.New("no credentials were read"))
	}
	if d.helper, err = dnsHelper(d.resolvers); err != nil {
		return err
	}
	return checkProvider(context.Background(), d.helper, *s.DNSCredentials)
}

// Prepare: nothing local to ready.
func (*DNS01) Prepare(ctx context.Context, p *Plan) error { return nil }

// Perform changes nothing in the web server; it wires the propagation
// checks and their progress into the event stream.
func (d *DNS01) Perform(ctx context.Context, x *Session, p *Plan) (func(), error) {
	s := p.Settings
	events := dnsEvents(x.Sink)
	var prov challenge.Provider
	done := func() {}
	if s.DNSProvider == dnschallenge.ManualCode {
		prov = dnschallenge.NewManual(ctx, s.DNSAsk, events)
	} else {
		remote, err := openProvider(ctx, d.helper, *s.DNSCredentials)
		if err != nil {
			return nil, err
		}
		prov, done = remote, func() { remote.Close() }
	}
	prop := &dnschallenge.Propagation{Resolvers: d.resolvers, NSPort: s.DNSNSPort, Timeout: s.DNSTimeout, OnEvent: events}
	wrapped, opts, err := prop.Setup(ctx, prov)
	if err != nil {
		done()
		return nil, err
	}
	d.provider, d.opts = wrapped, opts
	x.Sink.emit(PhasePrepare, KindOK, "DNS-01 through %s: TXT records in the zone, no change to %s", s.DNSProvider, p.Detection.Name)
	// The order (and lego's CleanUp of every record) is over when Issue
	// runs this: the helper may end.
	return done, nil
}

// PreCheck finds each name's zone through the resolvers: a name whose
// zone cannot be found would fail every propagation check after the order.
func (d *DNS01) PreCheck(ctx context.Context, x *Session, p *Plan) error {
	servers := dns01.ParseNameservers(d.resolvers)
	seen := map[string]bool{}
	for _, name := range p.Settings.Domains {
		fqdn := dns01.ToFqdn("_acme-challenge." + strings.TrimPrefix(name, "*."))
		zone, err := dns01.FindZoneByFqdnCustom(fqdn, servers)
		if err != nil {
			x.Sink.emit(PhasePrepare, KindFail, "finding the DNS zone of %s through %s: %v", name, strings.Join(d.resolvers, ", "), err)
			return fieldErr(FlagDNSResolver, fmt.Errorf("the DNS zone of %s was not found through %s: %w", name, strings.Join(d.resolvers, ", "), err))
		}
		if !seen[zone] {
			seen[zone] = true
			x.Sink.emit(PhasePrepare, KindOK, "zone %s found through %s", zone, strings.Join(d.resolvers, ", "))
		}
	}
	return nil
}

// Provider is the provider Perform wrapped.
func (d *DNS01) Provider(p *Plan) (challenge.Provider, error) {
	if d.provider == nil {
		return nil, errors.New("internal error: DNS-01 provider used before Perform")
	}
	return d.provider, nil
}

// challengeOptions are Setup's: its resolvers, timeouts and pre-check.
func (d *DNS01) challengeOptions() []dns01.ChallengeOption { return d.opts }

// dnsEvents maps the package's progress onto the engine's events: the
// records to create, each server's answer per record (a server that does
// not have it yet is said once), and each record propagated.
func dnsEvents(sink Sink) func(dnschallenge.Event) {
	waiting := map[string]bool{}
	return func(e dnschallenge.Event) {
		r := e.Record
		switch e.Kind {
		case dnschallenge.EventRecordsToCreate:
			for _, r := range e.Records {
				sink.emit(PhasePrepare, KindStart, "TXT record to create: %s value %s", r.Name, r.Value)
			}
		case dnschallenge.EventChecked:
			d := &DNSProgress{Name: r.Name, Value: r.Value, Server: e.Server, Seen: e.Seen}
			if e.Err != nil {
				d.Err = e.Err.Error()
			}
			switch {
			case e.Err != nil:
				sink.emitDNS(KindWarn, d, "%s: asking for TXT %s: %v", e.Server, r.Name, e.Err)
			case e.Seen:
				sink.emitDNS(KindOK, d, "%s has TXT %s value %s", e.Server, r.Name, r.Value)
			case !waiting[e.Server+r.Name+r.Value]:
				waiting[e.Server+r.Name+r.Value] = true
				sink.emitDNS(KindStart, d, "waiting for %s to have TXT %s value %s", e.Server, r.Name, r.Value)
			default:
				sink.emitDNS(KindLog, d, "%s does not have TXT %s value %s yet", e.Server, r.Name, r.Value)
			}
		case dnschallenge.EventPropagated:
			sink.emit(PhasePrepare, KindOK, "TXT %s value %s is on every authoritative server (for %s)", r.Name, r.Value, r.Domain)
		case dnschallenge.EventRecordRemovable:
			sink.emit(PhasePrepare, KindOK, "the CA is done with TXT %s value %s: you may delete it", r.Name, r.Value)
		}
	}
}

// dnsResolvers are the given ones, else this machine's (/etc/resolv.conf).
func dnsResolvers(given []string) ([]string, error) {
	if len(given) > 0 {
		return given, nil
	}
	cfg, err := dns.ClientConfigFromFile("/etc/resolv.conf")
	if err != nil || len(cfg.Servers) == 0 {
		return nil, errors.New("required: no resolver in /etc/resolv.conf; give one as HOST:PORT")
	}
	var out []string
	for _, s := range cfg.Servers {
		out = append(out, net.JoinHostPort(s, cfg.Port))
	}
	return out, nil
}

// validateDNS checks the DNS-01 options and reads the credentials, from
// the file or from the provider's own variables in the environment.
func (o Options) validateDNS(s *Settings) error {
	if o.DNSProvider == "" {
		return fieldErr(FlagDNSProvider, errors.New("required with --challenge dns-01: the code of your DNS provider (httpsify dns-providers lists them), or manual"))
	}
	for _, r := range o.DNSResolvers {
		if err := checkHostPort(r); err != nil {
			return fieldErr(FlagDNSResolver, err)
		}
	}
	if o.DNSTimeout < 0 {
		return fieldErr(FlagDNSTimeout, errors.New("must not be negative"))
	}
	if o.DNSNSPort != 0 {
		if err := validate.Port(o.DNSNSPort); err != nil {
			return fieldErr(FlagDNSNSPort, err)
		}
	}
	s.DNSResolvers, s.DNSTimeout, s.DNSNSPort = o.DNSResolvers, o.DNSTimeout, o.DNSNSPort
	if o.DNSProvider == dnschallenge.ManualCode {
		if o.DNSCredentialsFile != "" {
			return fieldErr(FlagDNSCredentials, errors.New("manual DNS takes no credentials"))
		}
		s.DNSProvider, s.DNSAsk = dnschallenge.ManualCode, o.DNSAsk
		return nil
	}
	// The canonical code (aliases resolved) and a refusal with suggestions.
	probe, err := dnschallenge.NewCredentials(o.DNSProvider, nil)
	if err != nil {
		return fieldErr(FlagDNSProvider, err)
	}
	s.DNSProvider = probe.Provider()
	var c dnschallenge.Credentials
	if o.DNSCredentialsFile != "" {
		c, err = dnschallenge.ReadCredentialsFile(s.DNSProvider, o.DNSCredentialsFile)
	} else {
		c, err = dnschallenge.CredentialsFromEnv(s.DNSProvider, o.DNSEnviron)
	}
	if err != nil {
		return fieldErr(FlagDNSCredentials, err)
	}
	s.DNSCredentials, s.DNSCredentialsFile = &c, o.DNSCredentialsFile
	return nil
}

// noDNSOptions refuses a DNS provider or credentials given with another
// challenge: they would be silently ignored. The resolvers, timeout and
// NS port only tune DNS checks; with HTTP-01 they are not used or stored.
func (o Options) noDNSOptions() error {
	if o.DNSProvider != "" {
		return fieldErr(FlagDNSProvider, errors.New("only used with --challenge dns-01"))
	}
	if o.DNSCredentialsFile != "" {
		return fieldErr(FlagDNSCredentials, errors.New("only used with --challenge dns-01"))
	}
	return nil
}

// withoutDNS checks the DNS-01 flags' form alone, for the wizard, which
// asks the challenge after its flags are checked.
func (o Options) withoutDNS() error {
	for _, r := range o.DNSResolvers {
		if err := checkHostPort(r); err != nil {
			return fieldErr(FlagDNSResolver, err)
		}
	}
	if o.DNSTimeout < 0 {
		return fieldErr(FlagDNSTimeout, errors.New("must not be negative"))
	}
	if o.DNSNSPort != 0 {
		if err := validate.Port(o.DNSNSPort); err != nil {
			return fieldErr(FlagDNSNSPort, err)
		}
	}
	if o.DNSProvider != "" && o.DNSProvider != dnschallenge.ManualCode {
		if _, err := dnschallenge.NewCredentials(o.DNSProvider, nil); err != nil {
			return fieldErr(FlagDNSProvider, err)
		}
	}
	return nil
}

// checkHostPort accepts "IP:PORT" or "name:PORT".
func checkHostPort(hp string) error {
	host, port, err := net.SplitHostPort(hp)
	if err != nil {
		return fmt.Errorf("%q is not HOST:PORT", hp)
	}
	n, err := strconv.Atoi(port)
	if err != nil || validate.Port(n) != nil {
		return fmt.Errorf("%q: the port is not a number from 1 to 65535", hp)
	}
	if net.ParseIP(host) == nil {
		if _, err := validate.Domain(host, false); err != nil {
			return fmt.Errorf("%q: %w", hp, err)
		}
	}
	return nil
}

// concreteFirst puts a name without a wildcard first: the primary name
// names the certificate's files and is the one checked over HTTPS.
func concreteFirst(names []string) ([]string, error) {
	if !strings.HasPrefix(names[0], "*.") {
		return names, nil
	}
	for i, n := range names {
		if !strings.HasPrefix(n, "*.") {
			out := append([]string{n}, names[:i]...)
			return append(out, names[i+1:]...), nil
		}
	}
	return nil, fmt.Errorf("%s: add a name without the wildcard too (usually the base name, --domain %s): it names the certificate's files and is the one checked over HTTPS", names[0], strings.TrimPrefix(names[0], "*."))
}

// saveDNSCredentials keeps the run's DNS credentials 0600 in the state
// dir and points the request at that copy, for renewals.
func saveDNSCredentials(s *Settings) error {
	if s.Challenge != "dns-01" || s.DNSCredentials == nil {
		return nil
	}
	path, err := dnschallenge.SaveCredentials(s.StateDir, *s.DNSCredentials)
	if err != nil {
		return err
	}
	s.DNSCredentialsFile = path
	return nil
}

// dnsApplyArgs are the DNS-01 flags of the equivalent command: the
// credentials by their file (after a run, the 0600 copy), never a value.
func (s *Settings) dnsApplyArgs() []string {
	if s.Challenge != "dns-01" {
		return nil
	}
	a := []string{"--" + FlagChallenge, "dns-01", "--" + FlagDNSProvider, s.DNSProvider}
	if s.DNSCredentialsFile != "" {
		a = append(a, "--"+FlagDNSCredentials, s.DNSCredentialsFile)
	}
	for _, r := range s.DNSResolvers {
		a = append(a, "--"+FlagDNSResolver, r)
	}
	if s.DNSTimeout != 0 {
		a = append(a, "--"+FlagDNSTimeout, s.DNSTimeout.String())
	}
	if s.DNSNSPort != 0 {
		a = append(a, "--"+FlagDNSNSPort, strconv.Itoa(s.DNSNSPort))
	}
	return a
}

// CheckDNSCredentials is the wizard's "check credentials": it builds the
// provider from values (as a run would) and finds each name's zone
// through the resolvers. Nothing is ordered and no record is written.
func CheckDNSCredentials(code string, values map[string]string, resolvers, domains []string) error {
	c, err := dnschallenge.NewCredentials(code, values)
	if err != nil {
		return fieldErr(FlagDNSCredentials, err)
	}
	rs, err := dnsResolvers(resolvers)
	if err != nil {
		return fieldErr(FlagDNSResolver, err)
	}
	h, err := dnsHelper(rs)
	if err != nil {
		return err
	}
	if err := checkProvider(context.Background(), h, c); err != nil {
		return err
	}
	for _, name := range domains {
		fqdn := dns01.ToFqdn("_acme-challenge." + strings.TrimPrefix(name, "*."))
		if _, err := dns01.FindZoneByFqdnCustom(fqdn, dns01.ParseNameservers(rs)); err != nil {
			return fieldErr(FlagDNSResolver, fmt.Errorf("the DNS zone of %s was not found through %s: %w", name, strings.Join(rs, ", "), err))
		}
	}
	return nil
}

// DNSEnviron is values in os.Environ() form, for Options.DNSEnviron: how
// the wizard hands over what was typed into the credentials form.
func DNSEnviron(values map[string]string) []string {
	var out []string
	for k, v := range values {
		out = append(out, k+"="+v)
	}
	return out
}

// DNSProgress is one authoritative server's answer about one TXT record.
type DNSProgress struct {
	Name, Value string // the record (the value is public)
	Server      string // "ns1.example.com. 192.0.2.1:53"
	Seen        bool
	Err         string // why the server could not be asked
}

func (s Sink) emitDNS(k Kind, d *DNSProgress, format string, args ...any) {
	if s == nil {
		return
	}
	s(Event{Time: time.Now(), Phase: PhasePrepare, Kind: k, Message: termtext.Clean(fmt.Sprintf(i18n.Lookup(format), args...)), DNS: d})
}

// dnsHow says who creates the TXT records, for the plan's description.
func (s *Settings) dnsHow() string {
	if s.DNSProvider == dnschallenge.ManualCode {
		return "TXT records you create by hand when asked"
	}
	return "TXT records created through DNS provider " + s.DNSProvider
}
