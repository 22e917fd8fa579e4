package provision

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/httpsify/httpsify/provision/nginxconf"
	"github.com/httpsify/httpsify/provision/validate"
)

// CheckUpstream dials the app and adds a warning when it does not answer.
// It is apart from BuildPlan, which stays free of I/O.
func (p *Plan) CheckUpstream() {
	if p.appAnswers() {
		return
	}
	p.Warnings = append(p.Warnings, fmt.Sprintf("the app at %s does not answer right now: the https site will show 502 until it runs", p.Upstream))
}

// appAnswers reports whether the app accepts connections now, so a dead
// app is not blamed on the new config. A proxy_pass naming an
// `upstream NAME { server …; }` block is checked at those servers (any
// one answering is enough), never by looking NAME up in DNS.
func (p *Plan) appAnswers() bool {
	if p.app == nil {
		return true
	}
	if p.app.Kind != validate.UpstreamUnix && p.Detection != nil && p.Detection.Config != nil {
		if servers, ok := upstreamServers(p.Detection.Config, p.app.Host); ok {
			for _, sv := range servers {
				if dialOK(sv.network, sv.addr) {
					return true
				}
			}
			return len(servers) == 0
		}
	}
	network, addr := "unix", p.app.Socket
	if p.app.Kind != validate.UpstreamUnix {
		port := p.app.Port
		if port == 0 {
			port = map[string]int{"http": 80, "https": 443}[p.app.Scheme]
		}
		network, addr = "tcp", net.JoinHostPort(p.app.Host, strconv.Itoa(port))
	}
	return dialOK(network, addr)
}

type dialTarget struct{ network, addr string }

// upstreamServers lists the servers of the http-level `upstream name {}`
// block; ok is false when there is no such block.
func upstreamServers(cfg *nginxconf.Config, name string) ([]dialTarget, bool) {
	for _, d := range cfg.HTTP {
		if d.Name != "upstream" || len(d.Args) != 1 || !strings.EqualFold(d.Args[0], name) {
			continue
		}
		var out []dialTarget
		for _, k := range d.Block {
			if k.Name != "server" || len(k.Args) == 0 {
				continue
			}
			a := k.Args[0]
			if sock, ok := strings.CutPrefix(a, "unix:"); ok {
				out = append(out, dialTarget{"unix", sock})
				continue
			}
			if _, _, err := net.SplitHostPort(a); err != nil {
				a = net.JoinHostPort(strings.Trim(a, "[]"), "80") // nginx's default port
			}
			out = append(out, dialTarget{"tcp", a})
		}
		return out, true
	}
	return nil, false
}

func dialOK(network, addr string) bool {
	c, err := net.DialTimeout(network, addr, 2*time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}
