package provision

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/httpsify/httpsify/provision/nginxconf"
)

// Detection is what the engine learned about the web server, all of it
// from nginx's own view of its configuration.
type Detection struct {
	Nginx   Nginx
	Version Version
	Config  *nginxconf.Config
	PIDFile string
	Running bool // the nginx master of this config is alive
	// HTTPBusy reports that something answers on the HTTP port.
	HTTPBusy bool
}

// Detect reads the nginx binary, its version, its whole configuration
// (nginx -T) and whether it runs.
func Detect(ctx context.Context, s *Settings, sink Sink) (*Detection, error) {
	sink.emit(PhaseDetect, KindStart, "reading the nginx configuration")
	bin, err := exec.LookPath(s.NginxBin)
	if err != nil {
		return nil, fieldErr("--nginx-bin", fmt.Errorf("nginx not found (%v); install it or pass its path", err))
	}
	n := Nginx{Bin: bin, Conf: s.NginxConf}
	v, err := n.Version(ctx)
	if err != nil {
		return nil, err
	}
	dump, err := n.Dump(ctx)
	if err != nil {
		return nil, fmt.Errorf("nginx cannot read its current configuration, so httpsify will not change it; fix this first:\n%w", err)
	}
	files, err := nginxconf.ParseDump(dump)
	if err != nil {
		return nil, fmt.Errorf("reading nginx -T output: %w", err)
	}
	cfg, err := nginxconf.Analyze(files)
	if err != nil {
		return nil, fmt.Errorf("httpsify does not fully understand this nginx configuration, so it will not edit it: %w", err)
	}
	d := &Detection{Nginx: n, Version: v, Config: cfg}
	d.PIDFile = pidFile(ctx, n, cfg)
	d.Running = n.PID(d.PIDFile) != 0
	d.HTTPBusy = listening(s.HTTPPort)
	state := "not running"
	if d.Running {
		state = "running"
	}
	sink.emit(PhaseDetect, KindOK, "nginx %s (%s), %s in %s", v, state, count(len(cfg.Servers), "server block", "server blocks"), count(len(cfg.Files), "file", "files"))
	for _, o := range cfg.Opaque {
		sink.emit(PhaseDetect, KindWarn, "%s is not plain nginx syntax to httpsify (%v); it is left alone", o.Path, o.Err)
	}
	return d, nil
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

// listening reports whether a TCP server answers on the port on loopback.
func listening(port int) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), 300*time.Millisecond)
	if err != nil {
		return false
	}
	c.Close()
	return true
}
