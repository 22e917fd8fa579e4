package provision

import (
	"context"

	"github.com/httpsify/httpsify/provision/validate"
)

// Server is the web server a site is put on. The engine drives it only
// through this seam; provision/nginx implements it, and cmd/httpsify picks
// the implementation. Planning methods are pure: they read the Detection
// (everything probed was probed by Detect) and write nothing.
type Server interface {
	// Detect reads the server's binary, configuration and state, and the
	// sites it serves.
	Detect(ctx context.Context, h *Host, sink Sink) (*Detection, error)
	// PlanSite fills in the site's TLS edits: p.Files, p.SiteFile,
	// p.Upstream, p.App, p.Webroot (when the config already has one) and
	// p.Warnings.
	PlanSite(p *Plan) error
	// PlanChallenge picks how HTTP-01 is answered: through the running
	// server, with the temporary edits that let it (HTTP01Server), or by
	// lego's own listener when nothing listens on the HTTP port
	// (HTTP01Standalone).
	PlanChallenge(p *Plan) (Challenge, error)
	// Probes are the requests whose answers must survive the change.
	Probes(d *Detection, s *Settings) []Probe
	// CurrentApp is the app the site proxies to today, nil when none.
	CurrentApp(d *Detection, s *Settings) *validate.Upstream
	// AppTargets resolves a named upstream group of the server's config
	// into the addresses to dial; ok is false when name is no such group.
	AppTargets(d *Detection, name string) (targets []DialTarget, ok bool)
	// Test checks the configuration on disk (nginx -t); the output's
	// last line is shown on success.
	Test(ctx context.Context, d *Detection) (string, error)
	// TestCommand is the command Test runs, for plans and dry runs.
	TestCommand(d *Detection) []string
	// Reload makes the server load the configuration on disk (or starts
	// it) and returns once the old workers stopped taking connections;
	// afterwards d.Running is true.
	Reload(ctx context.Context, d *Detection) error
	// ReloadCommand is the command Reload runs, for plans and dry runs.
	ReloadCommand(d *Detection) []string
}

// Detection is what Detect learned about the web server.
type Detection struct {
	Server  Server
	Name    string // "nginx"
	Version string
	Conf    string // the main configuration file
	Running bool   // the server of this configuration is alive
	// HTTPBusy reports that something answers on the HTTP port.
	HTTPBusy bool
	// IPv6 reports that this host can listen on [::].
	IPv6 bool
	// Sites are the websites the configuration serves, for the wizard's list.
	Sites []Site
	// Summary is the one-line description Detect reported.
	Summary string
	// State is the implementation's own view (nginx: the parsed config).
	State any

	certs certProbes // the install locations probed, see siteCert
}

// Site is one detected website: the server blocks that share a set of
// names (a managed site has a TLS block and a redirect block).
type Site struct {
	Names    []string // valid domain names only
	Ports    []int
	App      string // upstream as --upstream takes it, "" for static files
	File     string
	Managed  bool // set up by httpsify
	Problems []string
	// TLSByHand (issue 12) lists, in a few words each, what is wrong with
	// TLS the site's blocks set up by hand ("ssl on", "TLS 1.0/1.1", …),
	// for the wizard's first screen; empty when nothing is.
	TLSByHand []string
}

// DialTarget is one address an app check connects to.
type DialTarget struct{ Network, Addr string }
