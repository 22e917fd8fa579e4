package nginx

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/nginxconf"
)

// Detection is nginx's own view of its configuration, kept in the
// engine's Detection (State) beside the neutral facts it embeds.
type Detection struct {
	*provision.Detection
	Nginx   Nginx
	Version Version
	Config  *nginxconf.Config
	PIDFile string
}

// of returns nginx's view from an engine Detection made by Detect.
func of(d *provision.Detection) *Detection { return d.State.(*Detection) }

// Detect reads the nginx binary, its version, its whole configuration
// (nginx -T), whether it runs, and what the plan will need to know of
// the host (the HTTP port in use, IPv6): planning probes nothing.
func (Server) Detect(ctx context.Context, s *provision.Host, sink Sink) (*provision.Detection, error) {
	sink.Emit(provision.PhaseDetect, provision.KindStart, "reading the nginx configuration")
	bin, err := exec.LookPath(s.NginxBin)
	if err != nil {
		return nil, fieldErr(provision.FlagNginxBin, i18n.Errorf("nginx not found (%v); install it or pass its path", err))
	}
	n := Nginx{Bin: bin, Conf: s.NginxConf}
	v, err := n.Version(ctx)
	if err != nil {
		return nil, err
	}
	dump, err := n.Dump(ctx)
	if err != nil {
		return nil, i18n.Errorf("nginx cannot read its current configuration, so httpsify will not change it; fix this first:\n%w", err)
	}
	files, err := nginxconf.ParseDump(dump)
	if err != nil {
		return nil, fmt.Errorf("reading nginx -T output: %w", err)
	}
	cfg, err := nginxconf.Analyze(files)
	if err != nil {
		return nil, i18n.Errorf("httpsify does not fully understand this nginx configuration, so it will not edit it: %w", err)
	}
	d := New(n, v, cfg)
	d.PIDFile = pidFile(ctx, n, cfg)
	d.Running = n.PID(d.PIDFile) != 0
	d.HTTPBusy = provision.Listening(s.HTTPPort)

	state := i18n.T("not running")
	if d.Running {
		state = i18n.T("running")
	}
	d.Summary = i18n.T("nginx %s (%s), %s in %s", v, state, count(len(cfg.Servers), i18n.N("server block"), i18n.N("server blocks")), count(len(cfg.Files), i18n.N("file"), i18n.N("files")))
	sink.Emit(provision.PhaseDetect, provision.KindOK, "%s", d.Summary)
	for _, o := range cfg.Opaque {
		sink.Emit(provision.PhaseDetect, provision.KindWarn, "%s is not plain nginx syntax to httpsify (%v); it is left alone", o.Path, o.Err)
	}
	return d.Detection, nil
}

// New makes the engine's Detection for an nginx configuration already
// read (Detect, or a test's files): not running, nothing on the HTTP port.
func New(n Nginx, v Version, cfg *nginxconf.Config) *Detection {
	d := &Detection{
		Detection: &provision.Detection{Server: Server{}, Name: "nginx", Version: v.String(), Conf: n.Conf},
		Nginx:     n, Version: v, Config: cfg,
	}
	d.IPv6 = ipv6Available() // the one probe planning needs of the host
	d.State = d
	d.Sites = sites(cfg)
	annotateTLSByHand(d)
	return d
}

var pidPathRE = regexp.MustCompile(`--pid-path=(\S+)`)
var prefixRE = regexp.MustCompile(`--prefix=(\S+)`)

// pidFile finds the master's pid file: the main file's `pid` directive,
// else the compiled-in default.
func pidFile(ctx context.Context, n Nginx, cfg *nginxconf.Config) string {
	out, _ := command(ctx, n.Bin, "-V").CombinedOutput()
	prefix := "/usr/share/nginx"
	if m := prefixRE.FindSubmatch(out); m != nil {
		prefix = string(m[1])
	}
	p := "logs/nginx.pid"
	if m := pidPathRE.FindSubmatch(out); m != nil {
		p = string(m[1])
	}
	if content, ok := cfg.FileContent(cfg.Main); ok {
		if top, err := nginxconf.Parse(cfg.Main, content); err == nil {
			for _, d := range top {
				if d.Name == "pid" && len(d.Args) == 1 {
					p = d.Args[0]
				}
			}
		}
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(prefix, p)
	}
	return p
}
