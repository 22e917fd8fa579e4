package nginx

import (
	"net"
	"strings"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/nginxconf"
	"github.com/httpsify/httpsify/provision/validate"
)

// currentApp is the app the site proxies to today: the proxy_pass of its
// root location, nil when it has none httpsify can read.
func currentApp(cfg *nginxconf.Config, s *Settings) *validate.Upstream {
	if cfg == nil {
		return nil
	}
	owned, err := ownedServers(cfg, s)
	if err != nil {
		return nil
	}
	r, err := siteRoles(cfg, owned, s)
	if err != nil || r.site == nil {
		return nil
	}
	for _, loc := range r.site.Locations {
		if len(loc.Args) == 1 && loc.Args[0] == "/" && loc.ProxyPass != "" {
			if up, ok := validate.ParseProxyPass(loc.ProxyPass); ok {
				return &up
			}
		}
	}
	return nil
}

// upstreamServers lists the servers of the http-level `upstream name {}`
// block; ok is false when there is no such block.
func upstreamServers(cfg *nginxconf.Config, name string) ([]provision.DialTarget, bool) {
	for _, d := range cfg.HTTP {
		if d.Name != "upstream" || len(d.Args) != 1 || !strings.EqualFold(d.Args[0], name) {
			continue
		}
		var out []provision.DialTarget
		for _, k := range d.Block {
			if k.Name != "server" || len(k.Args) == 0 {
				continue
			}
			a := k.Args[0]
			if sock, ok := strings.CutPrefix(a, "unix:"); ok {
				out = append(out, provision.DialTarget{Network: "unix", Addr: sock})
				continue
			}
			if _, _, err := net.SplitHostPort(a); err != nil {
				a = net.JoinHostPort(strings.Trim(a, "[]"), "80") // nginx's default port
			}
			out = append(out, provision.DialTarget{Network: "tcp", Addr: a})
		}
		return out, true
	}
	return nil, false
}
