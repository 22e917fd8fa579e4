package nginx

import (
	"sort"
	"strings"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/nginxconf"
	"github.com/httpsify/httpsify/provision/validate"
)

// sites groups the detected server blocks by name set, in config order.
// Blocks without a usable name (the "_" catch-all) are left out: there is
// nothing to put on a certificate.
func sites(cfg *nginxconf.Config) []provision.Site {
	if cfg == nil {
		return nil
	}
	var out []provision.Site
	index := map[string]int{}
	for _, sv := range cfg.Servers {
		names := validNames(sv.Names)
		if len(names) == 0 {
			continue
		}
		k := strings.Join(names, " ")
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, provision.Site{Names: names, File: sv.File})
		}
		s := &out[i]
		for _, l := range sv.Listens {
			if !containsInt(s.Ports, l.Port) {
				s.Ports = append(s.Ports, l.Port)
			}
		}
		sort.Ints(s.Ports)
		s.Managed = s.Managed || sv.Managed
		s.Problems = append(s.Problems, sv.Problems...)
		if s.App == "" {
			s.App = rootUpstream(sv)
		}
	}
	return out
}

func validNames(names []string) []string {
	var out []string
	for _, n := range names {
		if v, err := validate.Domain(n, false); err == nil && v == n {
			out = append(out, n)
		}
	}
	return out
}

// rootUpstream is the proxy_pass of `location /` in --upstream form.
func rootUpstream(sv *nginxconf.Server) string {
	for _, loc := range sv.Locations {
		if len(loc.Args) != 1 || loc.Args[0] != "/" || loc.ProxyPass == "" {
			continue
		}
		if u, ok := validate.ParseProxyPass(loc.ProxyPass); ok {
			return u.String()
		}
	}
	return ""
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
