package nginx

import (
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/httpsify/httpsify/provision/nginxconf"
)

// maxProbeFile keeps a static probe cheap to fetch twice.
const maxProbeFile = 1 << 20

// siteProbes picks the requests whose answers must survive the change:
// `/` and, where the site serves files from disk, one such file (from the
// server's root, or a prefix location's root or alias — the Flask
// tutorial's /static/). No probes when no block answers the name yet: the
// default server's answer is another site's.
func siteProbes(cfg *nginxconf.Config, s *Settings) []Probe {
	sv := siteServer(cfg, s)
	if sv == nil {
		return nil
	}
	probes := []Probe{{Path: "/"}}
	if root := dirArg(sv.Directives, "root"); root != "" {
		if f := probeFile(root); f != "" && !coveredByLocation(sv, "/"+f) {
			probes = append(probes, Probe{Path: "/" + url.PathEscape(f), Body: true})
		}
	}
	for _, loc := range sv.Locations {
		prefix, ok := plainPrefix(loc.Args)
		if !ok || prefix == "/" || !strings.HasSuffix(prefix, "/") || loc.D == nil || isAcme(loc) {
			// The ACME challenge location is not the site's content:
			// only port 80 serves it, and its files come and go.
			continue
		}
		dir := ""
		if a := dirArg(loc.D.Block, "alias"); a != "" {
			dir = a
		} else if r := dirArg(loc.D.Block, "root"); r != "" {
			dir = filepath.Join(r, filepath.FromSlash(prefix))
		}
		if f := probeFile(dir); dir != "" && f != "" {
			probes = append(probes, Probe{Path: prefix + url.PathEscape(f), Body: true})
			break
		}
	}
	return probes
}

// siteServer is the block that answers the primary name today: on the
// HTTP port, else on the HTTPS port.
func siteServer(cfg *nginxconf.Config, s *Settings) *nginxconf.Server {
	for _, port := range []int{s.HTTPPort, s.HTTPSPort} {
		for _, sv := range cfg.ServersFor(s.Primary(), port) {
			if slices.Contains(sv.Names, s.Primary()) && !isRedirectOnly(sv) {
				return sv
			}
		}
	}
	return nil
}

// isRedirectOnly: a block whose whole job is a server-level redirect
// serves no files of its own.
func isRedirectOnly(sv *nginxconf.Server) bool {
	for _, d := range sv.Directives {
		if d.Name == "return" || d.Name == "rewrite" {
			return true
		}
	}
	return false
}

// dirArg is the single absolute, variable-free argument of the first
// directive called name, or "".
func dirArg(dirs []*nginxconf.Directive, name string) string {
	for _, d := range dirs {
		if d.Name == name && len(d.Args) == 1 {
			a := d.Args[0]
			if filepath.IsAbs(a) && !strings.Contains(a, "$") {
				return a
			}
			return ""
		}
	}
	return ""
}

// plainPrefix is a location's prefix when it is a plain or ^~ prefix.
func plainPrefix(args []string) (string, bool) {
	switch {
	case len(args) == 1 && strings.HasPrefix(args[0], "/"):
		return args[0], true
	case len(args) == 2 && args[0] == "^~":
		return args[1], true
	}
	return "", false
}

// coveredByLocation: a file at the server root is only nginx's to serve
// when no location other than `/` claims its path; a proxied `location /`
// sends it to the app, whose answer is compared by status alone.
func coveredByLocation(sv *nginxconf.Server, p string) bool {
	for _, loc := range sv.Locations {
		if prefix, ok := plainPrefix(loc.Args); ok {
			if strings.HasPrefix(p, prefix) && (prefix != "/" || loc.ProxyPass != "") {
				return true
			}
			continue
		}
		if matchesRegexLocation(loc.Args, p) {
			return true
		}
	}
	return false
}

// matchesRegexLocation evaluates a `~`/`~*` location with Go's regexp; a
// pattern it cannot compile counts as a match, to stay on the safe side.
// Named (@) and exact (=) locations never take another path.
func matchesRegexLocation(args []string, p string) bool {
	if len(args) != 2 || (args[0] != "~" && args[0] != "~*") {
		return false
	}
	expr := args[1]
	if args[0] == "~*" {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	return err != nil || re.MatchString(p)
}

// probeFile names a small regular file in dir that nginx would serve:
// the usual suspects first, else the first by name. Hidden files are
// skipped (sites often deny them).
func probeFile(dir string) string {
	if dir == "" {
		return ""
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	var names []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") && e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	sort.SliceStable(names, func(i, j int) bool { return rank(names[i]) < rank(names[j]) })
	for _, n := range names {
		st, err := os.Stat(filepath.Join(dir, n))
		if err == nil && st.Size() <= maxProbeFile && st.Mode().Perm()&0o004 != 0 && path.Base(n) == n {
			return n
		}
	}
	return ""
}

func rank(name string) int {
	if i := slices.Index([]string{"index.html", "robots.txt", "favicon.ico"}, name); i >= 0 {
		return i
	}
	return 3
}
