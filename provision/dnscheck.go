package provision

import (
	"context"
	"errors"
	"net"
	"strings"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
)

// LookupFunc resolves a name to its A and AAAA addresses. It is a value so
// the wizard and its tests choose where queries go (never off the machine
// in tests).
type LookupFunc func(ctx context.Context, host string) ([]net.IPAddr, error)

// SystemLookup asks the system resolver (what the CA does not use, but the
// best guess a server has).
func SystemLookup(ctx context.Context, host string) ([]net.IPAddr, error) {
	return net.DefaultResolver.LookupIPAddr(ctx, host)
}

// LookupVia asks one DNS server (host:port) directly, bypassing
// /etc/hosts, as a public resolver would answer.
func LookupVia(server string) LookupFunc {
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{Timeout: 2 * time.Second}).DialContext(ctx, network, server)
	}}
	return r.LookupIPAddr
}

// DNSVerdict sums up one name's records against this machine.
type DNSVerdict int

const (
	DNSHere      DNSVerdict = iota // every address is this machine's
	DNSPartly                      // some addresses are elsewhere
	DNSElsewhere                   // no address is this machine's
	DNSMissing                     // no A/AAAA record
	DNSError                       // the lookup failed
	// DNSBehindNAT: the record is a public address and this machine has
	// only private ones, as on a cloud VM whose public address is mapped
	// to it from outside: normal, and not a sign the record is wrong.
	DNSBehindNAT
)

// DNSAnswer is the check of one name.
type DNSAnswer struct {
	Name    string
	Addrs   []net.IP
	Verdict DNSVerdict
	Err     error
}

// CheckDNS resolves each name and compares the records with local, the
// addresses of this machine. It never fails as a whole: a CA check that
// may fail later is a warning, not a refusal.
func CheckDNS(ctx context.Context, lookup LookupFunc, local []net.IP, names []string) []DNSAnswer {
	out := make([]DNSAnswer, 0, len(names))
	for _, n := range names {
		a := DNSAnswer{Name: n}
		ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		addrs, err := lookup(ctx, n)
		cancel()
		var dnsErr *net.DNSError
		switch {
		case errors.As(err, &dnsErr) && dnsErr.IsNotFound, err == nil && len(addrs) == 0:
			a.Verdict = DNSMissing
		case err != nil:
			a.Verdict, a.Err = DNSError, err
		default:
			here := 0
			for _, ad := range addrs {
				a.Addrs = append(a.Addrs, ad.IP)
				if isLocal(ad.IP, local) {
					here++
				}
			}
			switch here {
			case len(addrs):
				a.Verdict = DNSHere
			case 0:
				a.Verdict = DNSElsewhere
				if onlyPrivate(local) && allPublic(a.Addrs) {
					a.Verdict = DNSBehindNAT
				}
			default:
				a.Verdict = DNSPartly
			}
		}
		out = append(out, a)
	}
	return out
}

// Explain says what the answer means for HTTP-01, in plain words.
func (a DNSAnswer) Explain(httpPort int) string {
	switch a.Verdict {
	case DNSHere:
		if allLoopback(a.Addrs) {
			return i18n.T("%s → %s: this machine's loopback address, which only a CA on this machine (a test CA) can reach", a.Name, joinIPs(a.Addrs))
		}
		return i18n.T("%s → %s: this machine", a.Name, joinIPs(a.Addrs))
	case DNSPartly:
		return i18n.T("%s → %s: only some of these are this machine; the CA may try any of them", a.Name, joinIPs(a.Addrs))
	case DNSElsewhere:
		return i18n.T("%s → %s: not an address of this machine. Fine if a router or load balancer forwards port %d here; otherwise point the name's A/AAAA record at this server first", a.Name, joinIPs(a.Addrs), httpPort)
	case DNSBehindNAT:
		return i18n.T("%s → %s: not on this machine's own interfaces, which is normal on a cloud server (its public address is mapped to a private one). This check cannot see that mapping; the CA's own check on port %d proves the name reaches this server", a.Name, joinIPs(a.Addrs), httpPort)
	case DNSMissing:
		return i18n.T("%s does not resolve (no A/AAAA record): the CA cannot reach it until the record exists", a.Name)
	}
	return i18n.T("%s: the DNS lookup failed (%v); the CA may still reach it", a.Name, a.Err)
}

// LocalAddrs lists this machine's interface addresses.
func LocalAddrs() ([]net.IP, error) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, err
	}
	var out []net.IP
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			out = append(out, n.IP)
		}
	}
	return out, nil
}

func isLocal(ip net.IP, local []net.IP) bool {
	if ip.IsLoopback() {
		return true
	}
	for _, l := range local {
		if l.Equal(ip) {
			return true
		}
	}
	return false
}

func allLoopback(ips []net.IP) bool {
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return false
		}
	}
	return len(ips) > 0
}

func joinIPs(ips []net.IP) string {
	s := make([]string, len(ips))
	for i, ip := range ips {
		s[i] = ip.String()
	}
	return strings.Join(s, ", ")
}

// onlyPrivate: every address of this machine, loopback aside, is private
// or link-local (a cloud VM, a home server behind a router).
func onlyPrivate(local []net.IP) bool {
	seen := false
	for _, ip := range local {
		if ip.IsLoopback() {
			continue
		}
		if !ip.IsPrivate() && !ip.IsLinkLocalUnicast() {
			return false
		}
		seen = true
	}
	return seen
}

func allPublic(ips []net.IP) bool {
	for _, ip := range ips {
		if !ip.IsGlobalUnicast() || ip.IsPrivate() {
			return false
		}
	}
	return len(ips) > 0
}
