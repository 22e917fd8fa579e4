package steps

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/nginxconf"
	"github.com/httpsify/httpsify/provision/validate"
)

// site is one detected website: the server blocks that share a set of
// names (a managed site has a TLS block and a redirect block).
type site struct {
	Names    []string // valid domain names only
	Ports    []int
	App      string // upstream as --upstream takes it, "" for static files
	File     string
	Managed  bool
	Problems []string
}

// sites groups the detected server blocks by name set, in config order.
// Blocks without a usable name (the "_" catch-all) are left out: there is
// nothing to put on a certificate.
func sites(d *provision.Detection) []site {
	if d == nil || d.Config == nil {
		return nil
	}
	var out []site
	index := map[string]int{}
	for _, sv := range d.Config.Servers {
		names := validNames(sv.Names)
		if len(names) == 0 {
			continue
		}
		k := strings.Join(names, " ")
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, site{Names: names, File: sv.File})
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

// rootUpstream turns the proxy_pass of `location /` into --upstream form.
func rootUpstream(sv *nginxconf.Server) string {
	for _, loc := range sv.Locations {
		if len(loc.Args) != 1 || loc.Args[0] != "/" || loc.ProxyPass == "" {
			continue
		}
		up := loc.ProxyPass
		if rest, ok := strings.CutPrefix(up, "http://unix:"); ok {
			up = "unix:" + rest
		}
		if u, err := validate.ParseUpstream(up); err == nil {
			return u.String()
		}
	}
	return ""
}

// label is the one-line description of a site.
func (s site) label() string {
	ports := make([]string, len(s.Ports))
	for i, p := range s.Ports {
		ports[i] = fmt.Sprintf(":%d", p)
	}
	app := "static files"
	if s.App != "" {
		app = "→ " + s.App
	}
	l := fmt.Sprintf("%s  %s  %s", strings.Join(s.Names, " "), strings.Join(ports, " "), app)
	if s.Managed {
		l += "  (already HTTPS by httpsify)"
	}
	return l
}

// shortFile shows the last two path elements (sites-available/app).
func shortFile(p string) string {
	return filepath.Join(filepath.Base(filepath.Dir(p)), filepath.Base(p))
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
