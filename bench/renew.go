package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/go-acme/lego/v4/certificate"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/renewdue"
	"github.com/httpsify/httpsify/provision/statedir"
)

// renewSiteCounts are the managed-site counts `httpsify renew` is timed at.
var renewSiteCounts = []int{1, 100, 1000}

// certbotLineages is how many lineages `certbot renew` is timed with.
const certbotLineages = 20

// deadCA is the CA every synthetic site names: a loopback port nothing
// listens on, so any request to it fails the run.
const deadCA = "https://127.0.0.1:1/dir"

// RenewRow is one timed `renew` with nothing due.
type RenewRow struct {
	Tool             string
	Sites            int
	Median, Min, Max time.Duration
	Runs             int
	InetConnects     int // connect() calls to an IP address, traced once
	TracedWithStrace bool
}

// RenewFigures are the renew rows of RESULTS.md.
type RenewFigures struct {
	Rows           []RenewRow
	CertbotVersion string
	Revision       string
	Finished       time.Time
	// Load is the load average when the run started: the machine is shared.
	Load string
}

// renewSetup is one command to time, with how to check each run.
type renewSetup struct {
	row   RenewRow
	name  string
	args  []string
	check func([]byte) error
	times []time.Duration
}

// renewFigures times `httpsify renew` over 1, 100 and 1000 synthetic
// sites and `certbot renew` over 20 synthetic lineages, nothing due, each
// as a real process. Each setup is traced once under strace to show it
// connects to no address; then round after round runs every setup once
// (a warm-up round first), so a busy moment on a shared machine weighs on
// all of them alike. The median of the timed rounds is reported.
func renewFigures(bin, work string, runs int) (*RenewFigures, error) {
	f := &RenewFigures{Load: loadAverage()}
	var setups []*renewSetup
	for _, n := range renewSiteCounts {
		dir := filepath.Join(work, fmt.Sprintf("state-%d", n))
		logf("renew: %d synthetic sites in %s", n, dir)
		if err := syntheticHTTPSifyState(dir, n); err != nil {
			return nil, err
		}
		setups = append(setups, &renewSetup{
			row:   RenewRow{Tool: "httpsify renew", Sites: n},
			name:  bin,
			args:  []string{"renew", "--state-dir", dir},
			check: func(out []byte) error { return allNotDue(dir, n, out) },
		})
	}
	cfg := filepath.Join(work, "certbot")
	logf("certbot renew: %d synthetic lineages in %s", certbotLineages, cfg)
	if err := syntheticCertbotLineages(cfg, certbotLineages); err != nil {
		return nil, err
	}
	empty := filepath.Join(work, "cli.ini")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		return nil, err
	}
	setups = append(setups, &renewSetup{
		row:  RenewRow{Tool: "certbot renew", Sites: certbotLineages},
		name: "certbot",
		args: []string{"renew", "-c", empty, "--config-dir", filepath.Join(cfg, "config"), "--work-dir", filepath.Join(cfg, "work"),
			"--logs-dir", filepath.Join(cfg, "logs"), "--no-random-sleep-on-renew", "--non-interactive"},
		check: func(out []byte) error {
			if got := strings.Count(string(out), "Certificate not yet due for renewal"); got != certbotLineages {
				return fmt.Errorf("certbot renew: %d lineages not due, want %d:\n%s", got, certbotLineages, out)
			}
			return nil
		},
	})
	for _, s := range setups {
		n, traced, err := inetConnects(s.name, s.args)
		if err != nil {
			return nil, fmt.Errorf("%s under strace: %w", s.row.Tool, err)
		}
		if n != 0 {
			return nil, fmt.Errorf("%s (%d sites) made %d connect() calls to IP addresses with nothing due", s.row.Tool, s.row.Sites, n)
		}
		s.row.InetConnects, s.row.TracedWithStrace = n, traced
	}
	for round := range runs + 1 {
		for _, s := range setups {
			start := time.Now()
			out, err := exec.Command(s.name, s.args...).CombinedOutput()
			took := time.Since(start)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %v\n%s", s.name, strings.Join(s.args, " "), err, out)
			}
			if err := s.check(out); err != nil {
				return nil, err
			}
			if round > 0 { // round 0 is the warm-up
				s.times = append(s.times, took)
			}
		}
	}
	for _, s := range setups {
		r := s.row
		r.Runs = runs
		r.Median, r.Min, r.Max = median(s.times), minOf(s.times), maxOf(s.times)
		logf("%s, %d sites: median %.1f ms (%d runs)", r.Tool, r.Sites, ms(r.Median), runs)
		f.Rows = append(f.Rows, r)
	}
	f.CertbotVersion = cmdOut("certbot", "--version")
	f.Finished = time.Now()
	return f, nil
}

// loadAverage is /proc/loadavg's first three figures, "" when unknown.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	fields := strings.Fields(string(b))
	if len(fields) < 3 {
		return ""
	}
	return strings.Join(fields[:3], " ")
}

// inetConnect matches a traced connect() to an IPv4 or IPv6 address.
var inetConnect = regexp.MustCompile(`connect\(\d+, \{sa_family=AF_INET6?`)

// inetConnects runs the command once under strace -f and counts its
// connect() calls to IP addresses (unix sockets, e.g. syslog, are not
// network). Without strace it says so (traced false).
func inetConnects(name string, args []string) (int, bool, error) {
	if _, err := exec.LookPath("strace"); err != nil {
		return 0, false, nil
	}
	log, err := os.CreateTemp("", "bench-strace-")
	if err != nil {
		return 0, false, err
	}
	log.Close()
	defer os.Remove(log.Name())
	cmd := exec.Command("strace", append([]string{"-f", "-qq", "-e", "trace=connect", "-o", log.Name(), name}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, true, fmt.Errorf("%v\n%s", err, out)
	}
	b, err := os.ReadFile(log.Name())
	if err != nil {
		return 0, true, err
	}
	return len(inetConnect.FindAll(b, -1)), true, nil
}

// allNotDue checks the run's own record: every site checked and not due,
// with no warning (a failed ARI fetch would be one).
func allNotDue(dir string, n int, out []byte) error {
	if bytes.Contains(out, []byte("warning")) {
		return fmt.Errorf("httpsify renew warned:\n%s", out)
	}
	recs, err := provision.LoadRenewRecords(statedir.Layout(dir))
	if err != nil {
		return err
	}
	if len(recs) != n {
		return fmt.Errorf("renewals.json has %d sites, want %d", len(recs), n)
	}
	for name, r := range recs {
		if r.Result != provision.OutcomeNotDue || r.Warning != "" || r.Error != "" {
			b, _ := json.Marshal(r)
			return fmt.Errorf("%s: %s", name, b)
		}
	}
	return nil
}

// benchCA issues the synthetic certificates: 90 days, issued an hour ago
// (so a third of the lifetime is far off), no OCSP URL (as Let's Encrypt
// issues them since 2025).
type benchCA struct {
	key    *ecdsa.PrivateKey
	cert   *x509.Certificate
	der    []byte
	serial int64
}

func newBenchCA() (*benchCA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bench CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return &benchCA{key: key, cert: cert, der: der, serial: 100}, err
}

// leaf returns the certificate PEM, the chain PEM and the key PEM.
func (ca *benchCA) leaf(name string) (certPEM, chainPEM, keyPEM []byte, leaf *x509.Certificate, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return
	}
	ca.serial++
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(ca.serial), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(90 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return
	}
	leaf, err = x509.ParseCertificate(der)
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	chainPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})
	return
}

// aheadFetcher answers every ARI request with a window 50 days ahead and
// a Retry-After of 6 hours: what a CA says of a fresh certificate.
type aheadFetcher struct{}

func (aheadFetcher) GetRenewalInfo(certificate.RenewalInfoRequest) (*certificate.RenewalInfoResponse, error) {
	r := &certificate.RenewalInfoResponse{RetryAfter: 6 * time.Hour}
	r.SuggestedWindow.Start = time.Now().Add(50 * 24 * time.Hour)
	r.SuggestedWindow.End = r.SuggestedWindow.Start.Add(48 * time.Hour)
	return r, nil
}

// syntheticHTTPSifyState lays out n managed sites the way apply leaves
// them: a stored request (CA: a dead loopback port), a certificate
// version linked from live/, and the CA's renewal information cached as
// a run that fetched it would have.
func syntheticHTTPSifyState(dir string, n int) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	l := statedir.Layout(dir)
	ca, err := newBenchCA()
	if err != nil {
		return err
	}
	cache := &renewdue.Cache{Dir: l.RenewalInfo(), Fetcher: aheadFetcher{}}
	if err := os.MkdirAll(l.LiveRoot(), 0o700); err != nil {
		return err
	}
	for i := range n {
		name := fmt.Sprintf("site%04d.example.com", i)
		certPEM, chainPEM, keyPEM, leaf, err := ca.leaf(name)
		if err != nil {
			return err
		}
		version := filepath.Join(l.Archive(name), "0001")
		if err := os.MkdirAll(version, 0o700); err != nil {
			return err
		}
		for f, c := range map[string][]byte{"cert.pem": certPEM, "chain.pem": chainPEM, "fullchain.pem": append(certPEM, chainPEM...), "privkey.pem": keyPEM} {
			mode := os.FileMode(0o644)
			if f == "privkey.pem" {
				mode = 0o600
			}
			if err := os.WriteFile(filepath.Join(version, f), c, mode); err != nil {
				return err
			}
		}
		if err := os.Symlink(version, l.Live(name)); err != nil {
			return err
		}
		s, err := provision.Options{Domains: []string{name}, StateDir: dir, Email: "me@example.com", AgreeTOS: true,
			CA: deadCA, Upstream: "127.0.0.1:8000"}.Validate()
		if err != nil {
			return err
		}
		if err := provision.SaveRequest(l, &s.Request); err != nil {
			return err
		}
		if d, _, err := cache.Check(leaf); err != nil || d.Due {
			return fmt.Errorf("filling the ARI cache for %s: due %v, %v", name, d.Due, err)
		}
	}
	return nil
}

// syntheticCertbotLineages lays out n lineages the way `certbot
// --nginx` leaves them (live/ links into archive/, renewal/NAME.conf),
// each naming a CA on a dead loopback port.
func syntheticCertbotLineages(root string, n int) error {
	cfg := filepath.Join(root, "config")
	ca, err := newBenchCA()
	if err != nil {
		return err
	}
	for _, d := range []string{"live", "archive", "renewal", "accounts"} {
		if err := os.MkdirAll(filepath.Join(cfg, d), 0o700); err != nil {
			return err
		}
	}
	version := strings.TrimPrefix(cmdOut("certbot", "--version"), "certbot ")
	for i := range n {
		name := fmt.Sprintf("site%02d.example.com", i)
		certPEM, chainPEM, keyPEM, _, err := ca.leaf(name)
		if err != nil {
			return err
		}
		archive, live := filepath.Join(cfg, "archive", name), filepath.Join(cfg, "live", name)
		for _, d := range []string{archive, live} {
			if err := os.MkdirAll(d, 0o700); err != nil {
				return err
			}
		}
		files := map[string][]byte{"cert": certPEM, "chain": chainPEM, "fullchain": append(certPEM, chainPEM...), "privkey": keyPEM}
		for kind, c := range files {
			if err := os.WriteFile(filepath.Join(archive, kind+"1.pem"), c, 0o600); err != nil {
				return err
			}
			if err := os.Symlink(filepath.Join("..", "..", "archive", name, kind+"1.pem"), filepath.Join(live, kind+".pem")); err != nil {
				return err
			}
		}
		conf := fmt.Sprintf(`# renew_before_expiry = 30 days
version = %s
archive_dir = %s
cert = %s/cert.pem
privkey = %s/privkey.pem
chain = %s/chain.pem
fullchain = %s/fullchain.pem

# Options used in the renewal process
[renewalparams]
account = 0123456789abcdef0123456789abcdef
authenticator = nginx
installer = nginx
server = %s
key_type = ecdsa
`, version, archive, live, live, live, live, deadCA)
		if err := os.WriteFile(filepath.Join(cfg, "renewal", name+".conf"), []byte(conf), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// buildHTTPSify builds the one binary the renew rows run.
func buildHTTPSify(dir string) (path, revision string, err error) {
	path = filepath.Join(dir, "httpsify")
	if out, err := exec.Command("go", "build", "-o", path, "./cmd/httpsify").CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	revision = cmdOut("git", "rev-parse", "--short", "HEAD")
	if cmdOut("git", "status", "--porcelain") != "" {
		revision += " + uncommitted changes"
	}
	return path, revision, nil
}

func minOf(ds []time.Duration) time.Duration {
	m := ds[0]
	for _, d := range ds {
		m = min(m, d)
	}
	return m
}

func maxOf(ds []time.Duration) time.Duration {
	m := ds[0]
	for _, d := range ds {
		m = max(m, d)
	}
	return m
}
