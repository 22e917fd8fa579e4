package sandbox

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// BIND is a private authoritative BIND 9 (Debian's named) for the sandbox's
// test zone, on 127.0.0.1 only, accepting RFC 2136 dynamic updates of TXT
// records signed with its TSIG key: what the DNS-01 tests write challenge
// records to, and what Pebble resolves through when it runs (Options.BIND).
type BIND struct {
	Addr string // "127.0.0.1:PORT", UDP and TCP
	Port int
	Zone string // fully qualified, e.g. "example.test."
	// The TSIG key allowed to update TXT records anywhere in the zone.
	KeyName      string // as in named.conf, e.g. "httpsify-sandbox"
	KeyAlgorithm string // "hmac-sha256"
	KeySecret    string // base64
	// KeyFile holds the key in tsig-keygen's format (0600), for
	// `nsupdate -k` and lego's DNSUPDATE_TSIG_FILE.
	KeyFile string

	dir  string // Dir/bind: config, zone, journal, pid
	proc *proc
}

// DefaultZone is the zone BIND serves unless Options.Zone says otherwise.
const DefaultZone = "example.test"

const bindKeyName = "httpsify-sandbox"

// named.conf for one primary zone. recursion off and a loopback listener:
// it answers for the zone and nothing else. `controls {}` keeps rndc off, so
// no second port (953) is taken; every file named writes is in dir.
const namedConfTmpl = `include "{{KEYFILE}}";

options {
	directory "{{DIR}}";
	pid-file "{{DIR}}/named.pid";
	session-keyfile "{{DIR}}/session.key";
	managed-keys-directory "{{DIR}}";
	listen-on port {{PORT}} { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion no;
	allow-query { 127.0.0.0/8; };
	allow-transfer { none; };
	notify no;
	dnssec-validation no;
};

controls { };

zone "{{ZONE}}" {
	type primary;
	file "{{DIR}}/zone.db";
	update-policy { grant {{KEY}} zonesub TXT; };
};
`

// The zone: the apex and the site name answer 127.0.0.1 (so HTTP-01 keeps
// working when Pebble resolves through BIND); no AAAA, so Pebble never
// tries ::1, where nginx does not listen. SOA minimum 1s: a test that
// looks for a record right after deleting it is not fooled by a cached
// "no such record".
const zoneTmpl = `$TTL 60
@	IN SOA	ns.{{ZONE}} hostmaster.{{ZONE}} 1 3600 600 86400 1
@	IN NS	ns.{{ZONE}}
ns	IN A	127.0.0.1
@	IN A	127.0.0.1
`

// newBIND lays out dir: a fresh TSIG key, named.conf and the zone with an
// A record for each of names (which must be in zone).
func newBIND(dir string, port int, zone string, names []string) (*BIND, error) {
	zone = dns.Fqdn(strings.ToLower(zone))
	if _, ok := dns.IsDomainName(zone); !ok {
		return nil, fmt.Errorf("sandbox: zone %q is not a domain name", zone)
	}
	secret := make([]byte, 32) // hmac-sha256: a key as long as the hash
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	b := &BIND{
		Addr:         net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Port:         port,
		Zone:         zone,
		KeyName:      bindKeyName,
		KeyAlgorithm: "hmac-sha256",
		KeySecret:    base64.StdEncoding.EncodeToString(secret),
		KeyFile:      filepath.Join(dir, "tsig.key"),
		dir:          dir,
	}
	zoneFile := strings.ReplaceAll(zoneTmpl, "{{ZONE}}", zone)
	for _, n := range names {
		n = dns.Fqdn(strings.ToLower(n))
		if n == zone {
			continue // the apex is always there
		}
		if !dns.IsSubDomain(zone, n) {
			return nil, fmt.Errorf("sandbox: %s is not in the BIND zone %s (set Options.Zone)", n, zone)
		}
		zoneFile += fmt.Sprintf("%s\tIN A\t127.0.0.1\n", n)
	}
	conf := strings.NewReplacer("{{DIR}}", dir, "{{PORT}}", strconv.Itoa(port), "{{ZONE}}", zone,
		"{{KEY}}", b.KeyName, "{{KEYFILE}}", b.KeyFile).Replace(namedConfTmpl)
	key := fmt.Sprintf("key \"%s\" {\n\talgorithm %s;\n\tsecret \"%s\";\n};\n", b.KeyName, b.KeyAlgorithm, b.KeySecret)
	files := []struct {
		name, body string
		mode       os.FileMode
	}{
		{b.KeyFile, key, 0o600},
		{b.conf(), conf, 0o644},
		{filepath.Join(dir, "zone.db"), zoneFile, 0o644},
	}
	for _, f := range files {
		if err := os.WriteFile(f.name, []byte(f.body), f.mode); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (b *BIND) conf() string { return filepath.Join(b.dir, "named.conf") }

// startBIND checks the config with named-checkconf (for a clear error),
// runs `named -g` in the foreground as a sandbox process, and waits until
// it answers for the zone with authority.
func (s *Sandbox) startBIND() error {
	bin, err := findBin("named", "/usr/sbin/named")
	if err != nil {
		return err
	}
	if check, err := findBin("named-checkconf", "/usr/bin/named-checkconf", "/usr/sbin/named-checkconf"); err == nil {
		if out, err := exec.Command(check, "-z", s.BIND.conf()).CombinedOutput(); err != nil {
			return fmt.Errorf("sandbox: named-checkconf -z %s: %v\n%s", s.BIND.conf(), err, out)
		}
	}
	// -g: foreground, log to stderr (our log file); -4: IPv4 only. Run as
	// whoever runs the tests (no -u): every file it touches is in its dir.
	p, err := s.startProc("named", bin, []string{"-g", "-4", "-c", s.BIND.conf()}, nil)
	s.BIND.proc = p
	if err != nil {
		return err
	}
	return s.BIND.waitServing(p.logFile, p.exited)
}

// waitServing polls the zone's SOA over TCP until BIND answers with
// authority: listening alone does not mean the zone is loaded.
func (b *BIND) waitServing(logFile string, dead func() bool) error {
	c := &dns.Client{Net: "tcp", Timeout: time.Second}
	m := new(dns.Msg).SetQuestion(b.Zone, dns.TypeSOA)
	deadline := time.Now().Add(20 * time.Second)
	for {
		r, _, err := c.Exchange(m, b.Addr)
		if err == nil && r.Rcode == dns.RcodeSuccess && r.Authoritative && len(r.Answer) > 0 {
			return nil
		}
		if dead() {
			return fmt.Errorf("sandbox: named exited before serving %s; log %s:\n%s", b.Zone, logFile, tail(logFile))
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = fmt.Errorf("answer %s, authoritative %v", dns.RcodeToString[r.Rcode], r.Authoritative)
			}
			return fmt.Errorf("sandbox: named not serving %s on %s after 20s: %v; log %s:\n%s", b.Zone, b.Addr, err, logFile, tail(logFile))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// NSUpdate runs nsupdate with the TSIG key against this server and zone,
// the way an admin adds a record by hand, e.g.
// "update add _acme-challenge.www.example.test. 60 TXT \"value\"".
func (b *BIND) NSUpdate(commands ...string) error {
	bin, err := findBin("nsupdate", "/usr/bin/nsupdate")
	if err != nil {
		return err
	}
	script := fmt.Sprintf("server 127.0.0.1 %d\nzone %s\n%s\nsend\n", b.Port, b.Zone, strings.Join(commands, "\n"))
	cmd := exec.Command(bin, "-k", b.KeyFile)
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("sandbox: nsupdate: %v\n%s", err, out)
	}
	return nil
}

// TXT asks BIND (over TCP, like Pebble) for the TXT values at name.
func (b *BIND) TXT(name string) ([]string, error) {
	c := &dns.Client{Net: "tcp", Timeout: 5 * time.Second}
	r, _, err := c.Exchange(new(dns.Msg).SetQuestion(dns.Fqdn(name), dns.TypeTXT), b.Addr)
	if err != nil {
		return nil, err
	}
	if r.Rcode != dns.RcodeSuccess && r.Rcode != dns.RcodeNameError {
		return nil, fmt.Errorf("sandbox: TXT %s: %s", name, dns.RcodeToString[r.Rcode])
	}
	var vals []string
	for _, rr := range r.Answer {
		if t, ok := rr.(*dns.TXT); ok {
			vals = append(vals, strings.Join(t.Txt, ""))
		}
	}
	return vals, nil
}
