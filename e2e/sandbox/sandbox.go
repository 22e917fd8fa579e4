// Package sandbox runs a private, loopback-only copy of the world httpsify
// works in: an nginx configured like a Debian tutorial site in front of a demo
// app on a unix socket, plus Pebble (a test ACME CA) and pebble-challtestsrv
// (its DNS, which answers 127.0.0.1 for every name so that Pebble's HTTP-01
// validation reaches our nginx). On request it also runs BIND 9 as the
// authoritative server of a test zone, taking RFC 2136 updates, and Pebble
// then resolves through BIND, so DNS-01 can be tested for real.
// Everything lives under one directory.
package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// Options configures Start. Zero values get defaults.
type Options struct {
	Dir      string // working dir (created); everything lives under it
	BasePort int    // HTTP=Base, HTTPS=Base+1, ACME=Base+2, Pebble mgmt=Base+3, DNS=Base+4, challtestsrv mgmt=Base+5, BIND=Base+6; default 18080
	Domain   string // default "www.example.test"
	// BIND starts BIND 9 on 127.0.0.1:Base+6 as the authoritative server
	// of Zone, with a TSIG key allowed to update TXT records (see
	// Sandbox.BIND), and points Pebble's -dnsserver at it instead of
	// challtestsrv. The zone has A records (127.0.0.1) for its apex and
	// Domain, so HTTP-01 works as before; Domain must be in Zone.
	BIND bool
	Zone string // BIND's zone; default "example.test"
	// EAB makes Pebble require external account binding, with these
	// key ids and their base64url HMAC keys (as ZeroSSL hands them out).
	EAB map[string]string
	// ShortLived, when set, gives Pebble two ACME profiles, as Let's
	// Encrypt offers: ProfileDefault (90 days) and ProfileShortLived with
	// this validity (whole seconds, at least 2). Pebble then gives an order
	// that names no profile a random one of the two, so with this set every
	// order should name its profile. Zero keeps Pebble's single default.
	ShortLived time.Duration
}

// Sandbox is a running set of nginx, Pebble, challtestsrv and the demo app.
type Sandbox struct {
	Dir, Domain         string
	HTTPPort, HTTPSPort int
	NginxBin, NginxConf string   // private nginx main config (Dir/nginx/nginx.conf)
	SiteFile            string   // Dir/nginx/sites-available/app (symlinked from sites-enabled/app)
	StateDir            string   // Dir/state (for httpsify --state-dir)
	ChallengeDir        string   // Dir/acme-challenge (for --challenge-dir); httpsify creates it
	CADirURL            string   // Pebble's ACME directory
	CARootFile          string   // CA of Pebble's own listener cert and the root it issues under (for httpsify --ca-root)
	AppSocket           string   // Dir/app/app.sock
	BIND                *BIND    // nil unless Options.BIND
	Profiles            []string // the ACME profiles Pebble offers (sorted)

	acmePort, pebbleMgmtPort, dnsPort, challMgmtPort int
	eab                                              map[string]string
	shortLived                                       time.Duration
	bindPort                                         int    // 0 unless Options.BIND
	zone                                             string // BIND's zone

	mu       sync.Mutex
	stopped  bool
	app      *http.Server
	pebble   *proc
	chall    *proc
	nginxPID int // master pid, read from the pid file after start
}

const (
	DefaultBasePort = 18080
	DefaultDomain   = "www.example.test"
)

// Start lays out Dir afresh (configs, certs, state are regenerated: Pebble
// forgets accounts on restart, so old state would be useless), stops any
// leftovers of an earlier run in the same Dir, and starts everything.
// On error, whatever was started is stopped again.
func Start(o Options) (*Sandbox, error) {
	if o.Dir == "" {
		return nil, errors.New("sandbox: Options.Dir is required")
	}
	if o.BasePort == 0 {
		o.BasePort = DefaultBasePort
	}
	if o.Domain == "" {
		o.Domain = DefaultDomain
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, err
	}
	s := &Sandbox{
		Dir:            dir,
		Domain:         o.Domain,
		HTTPPort:       o.BasePort,
		HTTPSPort:      o.BasePort + 1,
		acmePort:       o.BasePort + 2,
		pebbleMgmtPort: o.BasePort + 3,
		dnsPort:        o.BasePort + 4,
		challMgmtPort:  o.BasePort + 5,
		NginxConf:      filepath.Join(dir, "nginx", "nginx.conf"),
		SiteFile:       filepath.Join(dir, "nginx", "sites-available", "app"),
		StateDir:       filepath.Join(dir, "state"),
		ChallengeDir:   filepath.Join(dir, "acme-challenge"),
		CARootFile:     filepath.Join(dir, "pebble", "listener-ca.pem"),
		AppSocket:      filepath.Join(dir, "app", "app.sock"),
		eab:            o.EAB,
		shortLived:     o.ShortLived,
		Profiles:       []string{ProfileDefault},
	}
	if o.ShortLived != 0 {
		if o.ShortLived < 2*time.Second || o.ShortLived%time.Second != 0 {
			return nil, fmt.Errorf("sandbox: ShortLived %v must be whole seconds, at least 2", o.ShortLived)
		}
		s.Profiles = []string{ProfileDefault, ProfileShortLived}
	}
	if o.BIND {
		s.bindPort, s.zone = o.BasePort+6, o.Zone
		if s.zone == "" {
			s.zone = DefaultZone
		}
	}
	s.CADirURL = fmt.Sprintf("https://127.0.0.1:%d/dir", s.acmePort)

	if err := StopDir(dir); err != nil {
		return nil, fmt.Errorf("sandbox: stopping leftovers in %s: %w", dir, err)
	}
	if err := s.layout(); err != nil {
		return nil, err
	}
	if err := s.checkPortsFree(); err != nil {
		return nil, err
	}
	if err := s.start(); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func (s *Sandbox) start() error {
	if err := s.startApp(); err != nil {
		return err
	}
	if err := s.startChallSrv(); err != nil {
		return err
	}
	if s.BIND != nil {
		if err := s.startBIND(); err != nil {
			return err
		}
	}
	if err := s.startPebble(); err != nil {
		return err
	}
	return s.startNginx()
}

// layout wipes and recreates the directories the sandbox owns.
func (s *Sandbox) layout() error {
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return err
	}
	// nginx workers run as nobody and must reach the app socket.
	if err := makeTraversable(s.Dir); err != nil {
		return err
	}
	for _, sub := range []string{"nginx", "state", "acme-challenge", "pebble", "app", "logs", "run", "bind"} {
		if err := os.RemoveAll(filepath.Join(s.Dir, sub)); err != nil {
			return err
		}
	}
	for _, sub := range []string{"nginx/conf.d", "nginx/sites-available", "nginx/sites-enabled", "nginx/tmp", "state", "pebble", "app", "logs", "run"} {
		if err := os.MkdirAll(filepath.Join(s.Dir, sub), 0o755); err != nil {
			return err
		}
	}
	if err := s.writeNginxConfig(); err != nil {
		return err
	}
	if s.bindPort != 0 {
		dir := filepath.Join(s.Dir, "bind")
		if err := os.Mkdir(dir, 0o700); err != nil {
			return err
		}
		b, err := newBIND(dir, s.bindPort, s.zone, []string{s.Domain})
		if err != nil {
			return err
		}
		s.BIND = b
	}
	return s.writePebbleFiles()
}

// Stop stops nginx, Pebble, challtestsrv, BIND and the app. It is idempotent and
// tries every part even when one fails.
func (s *Sandbox) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return nil
	}
	s.stopped = true
	var errs []error
	errs = append(errs, s.stopNginx())
	procs := []*proc{s.pebble, s.chall}
	if s.BIND != nil {
		procs = append(procs, s.BIND.proc)
	}
	for _, p := range procs {
		if p != nil {
			errs = append(errs, p.stop())
		}
	}
	errs = append(errs, s.stopApp())
	return errors.Join(errs...)
}

// ApplyArgs returns the httpsify flags that point it at this sandbox.
func (s *Sandbox) ApplyArgs() []string {
	return []string{
		"--domain", s.Domain,
		"--email", "demo@example.test",
		"--agree-tos",
		"--ca", s.CADirURL,
		"--ca-root", s.CARootFile,
		"--nginx-conf", s.NginxConf,
		"--nginx-bin", s.NginxBin,
		"--http-port", strconv.Itoa(s.HTTPPort),
		"--https-port", strconv.Itoa(s.HTTPSPort),
		"--state-dir", s.StateDir,
		"--challenge-dir", s.ChallengeDir,
		"--yes",
	}
}

// findBin looks on PATH, then in the Go bin dirs (go install puts pebble there
// and that dir is often not on PATH), then in extra fallbacks.
func findBin(name string, fallbacks ...string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return filepath.Abs(p)
	}
	var cands []string
	if gp := os.Getenv("GOPATH"); gp != "" {
		for _, d := range filepath.SplitList(gp) {
			cands = append(cands, filepath.Join(d, "bin", name))
		}
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, d := range filepath.SplitList(string(trimNL(out))) {
			cands = append(cands, filepath.Join(d, "bin", name))
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		cands = append(cands, filepath.Join(home, "go", "bin", name))
	}
	cands = append(cands, fallbacks...)
	for _, c := range cands {
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return c, nil
		}
	}
	return "", fmt.Errorf("sandbox: %s not found on PATH or in GOPATH/bin (run e2e/install-deps.sh)", name)
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
