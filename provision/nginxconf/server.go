package nginxconf

import (
	"strings"
)

// Location is one top-level location of a server.
type Location struct {
	Args      []string // e.g. ["/"], ["^~", "/.well-known/acme-challenge/"]
	ProxyPass string   // "" when none
	Text      string   // the verbatim text of the whole location block from the file (Start..End)
	D         *Directive
	Via       string // the included file that holds it; "" when in the block itself
}

// Entry is one server-level directive after include expansion: Via is the
// included file it came from, "" when it is written in the block itself.
type Entry struct {
	D   *Directive
	Via string
}

// Server is one server block in the http context.
type Server struct {
	File       string
	Start, End int          // byte range of the whole `server { ... }` in File's content
	Names      []string     // server_name values, lowercased (regex names "~..." kept as written)
	Listens    []Listen     // default when none: port 80 on all addresses
	Locations  []Location   // top-level locations, in the block or its included files
	Directives []*Directive // the server's own top-level directives, includes not expanded
	All        []Entry      // every server-level directive, includes expanded in place
	Block      *Directive   // the `server` directive itself
	Managed    bool         // the block contains the comment "# managed by httpsify"
	SSL        bool         // any listen has ssl, or an `ssl on;` directive
	Problems   []string     // why the engine must not edit it automatically
}

// managedMarker is the comment httpsify writes into blocks it owns.
const managedMarker = "# managed by httpsify"

func (c *Config) newServer(d *Directive, depth int) (*Server, error) {
	s := &Server{File: d.File, Start: d.Start, End: d.End, Directives: d.Block, Block: d}
	for _, k := range d.Block {
		if err := c.serverDirective(s, k, "", depth); err != nil {
			return nil, err
		}
	}
	if len(s.Listens) == 0 {
		s.Listens = []Listen{{Port: 80}} // nginx's default for root: *:80
	}
	for _, l := range s.Listens {
		s.SSL = s.SSL || l.SSL
	}
	if pf := c.parsed[d.File]; pf != nil {
		for _, cm := range pf.comments {
			if cm.start >= d.Start && cm.start < d.End && strings.TrimSpace(cm.text) == managedMarker {
				s.Managed = true
			}
		}
	}
	return s, nil
}

// serverDirective records one server-level directive. via is the included
// file it came from ("" for the block itself). Any directive nginx accepted
// is fine here: an in-place edit only needs to understand the ones it
// touches, and the planner judges those.
func (c *Config) serverDirective(s *Server, k *Directive, via string, depth int) error {
	if k.Name != "include" {
		s.All = append(s.All, Entry{D: k, Via: via})
	}
	switch name := k.Name; {
	case name == "listen":
		if len(k.Args) > 0 && strings.HasPrefix(k.Args[0], "unix:") {
			return nil // a unix socket is neither the HTTP nor the HTTPS port
		}
		l, err := parseListen(k.Args)
		if err != nil {
			s.problem(err.Error())
			return nil
		}
		s.Listens = append(s.Listens, l)
	case name == "server_name":
		for _, n := range k.Args {
			if !strings.HasPrefix(n, "~") { // lowercasing a regex changes it
				n = strings.ToLower(n)
			}
			s.Names = append(s.Names, n)
		}
	case name == "location":
		loc := newLocation(c, k)
		loc.Via = via
		s.Locations = append(s.Locations, loc)
	case name == "ssl":
		if len(k.Args) == 1 && k.Args[0] == "on" {
			s.SSL = true
		}
	case name == "include":
		_, paths, err := c.include(k, depth)
		if err != nil {
			return err
		}
		for _, p := range paths {
			if c.parsed[p].opaque != nil {
				s.problem("include of " + p + ", which httpsify cannot read")
			}
			for _, sub := range c.parsed[p].dirs {
				if err := c.serverDirective(s, sub, p, depth+1); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// ParseListen reads a listen directive's arguments as nginx does.
func ParseListen(args []string) (Listen, error) { return parseListen(args) }

// IncludedFiles resolves an include directive to the dumped files it reads.
func (c *Config) IncludedFiles(d *Directive) []string {
	if d.Name != "include" || len(d.Args) != 1 {
		return nil
	}
	_, paths, err := c.resolve(d.Args[0])
	if err != nil {
		return nil
	}
	return paths
}

// Directives returns the parsed top-level directives of a dumped file.
func (c *Config) Directives(path string) []*Directive {
	if pf := c.parsed[path]; pf != nil {
		return pf.dirs
	}
	return nil
}

func (s *Server) problem(p string) {
	for _, q := range s.Problems {
		if q == p {
			return
		}
	}
	s.Problems = append(s.Problems, p)
}

func newLocation(c *Config, d *Directive) Location {
	loc := Location{Args: d.Args, D: d}
	if content, ok := c.FileContent(d.File); ok {
		loc.Text = string(content[d.Start:d.End])
	}
	for _, k := range d.Block {
		if k.Name == "proxy_pass" && len(k.Args) > 0 {
			loc.ProxyPass = k.Args[0]
			break
		}
	}
	return loc
}

// ServersFor returns the servers that answer name on port: exact
// server_name match (case-insensitive) or the wildcard forms
// "*.example.test", ".example.test" and "www.example.*". Regex names are not
// evaluated. Each server appears once, in config order.
func (c *Config) ServersFor(name string, port int) []*Server {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	var out []*Server
	for _, s := range c.Servers {
		if s.listensOn(port) && s.answers(name) {
			out = append(out, s)
		}
	}
	return out
}

func (s *Server) listensOn(port int) bool {
	for _, l := range s.Listens {
		if l.Port == port {
			return true
		}
	}
	return false
}

func (s *Server) answers(host string) bool {
	for _, n := range s.Names {
		if nameMatches(n, host) {
			return true
		}
	}
	return false
}

// nameMatches implements nginx's non-regex server_name forms.
func nameMatches(pattern, host string) bool {
	switch {
	case strings.HasPrefix(pattern, "~"):
		return false
	case pattern == host:
		return true
	case strings.HasPrefix(pattern, "*."):
		return len(host) > len(pattern)-1 && strings.HasSuffix(host, pattern[1:])
	case strings.HasPrefix(pattern, "."):
		return host == pattern[1:] || strings.HasSuffix(host, pattern)
	case strings.HasSuffix(pattern, ".*"):
		return len(host) > len(pattern)-1 && strings.HasPrefix(host, pattern[:len(pattern)-1])
	}
	return false
}
