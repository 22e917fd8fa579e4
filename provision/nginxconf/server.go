package nginxconf

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Location is one top-level location of a server.
type Location struct {
	Args      []string // e.g. ["/"], ["^~", "/.well-known/acme-challenge/"]
	ProxyPass string   // "" when none
	Text      string   // the verbatim text of the whole location block from the file (Start..End)
	D         *Directive
}

// Server is one server block in the http context.
type Server struct {
	File       string
	Start, End int          // byte range of the whole `server { ... }` in File's content
	Names      []string     // server_name values, lowercased (regex names "~..." kept as written)
	Listens    []Listen     // default when none: port 80 on all addresses
	Locations  []Location   // top-level locations written in the block itself
	Directives []*Directive // the server's own top-level directives, includes not expanded
	Managed    bool         // the block contains the comment "# managed by httpsify"
	SSL        bool         // any listen has ssl, or an `ssl on;` directive
	Problems   []string     // why the engine must not rewrite it automatically
}

// managedMarker is the comment httpsify writes into blocks it owns.
const managedMarker = "# managed by httpsify"

// knownServerDirectives may appear at server level without stopping an
// automatic rewrite: they are either carried over as they are or replaced
// by the engine (ssl, ssl_*).
var knownServerDirectives = map[string]bool{
	"listen": true, "server_name": true, "location": true, "root": true, "index": true,
	"access_log": true, "error_log": true, "client_max_body_size": true, "charset": true,
	"add_header": true, "error_page": true, "try_files": true, "return": true, "ssl": true,
	"keepalive_timeout": true, "server_tokens": true, "autoindex": true, "expires": true,
	"large_client_header_buffers": true, "client_body_timeout": true, "send_timeout": true,
}

var knownServerPrefixes = []string{"gzip", "proxy_", "ssl_", "uwsgi_", "fastcgi_"}

func knownServerDirective(name string) bool {
	if knownServerDirectives[name] {
		return true
	}
	for _, p := range knownServerPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// allowedServerInclude: proxy_params and snippets/* hold shared, known
// settings; any other include could hide anything.
func allowedServerInclude(abs string) bool {
	return filepath.Base(abs) == "proxy_params" || filepath.Base(filepath.Dir(abs)) == "snippets"
}

func (c *Config) newServer(d *Directive, depth int) (*Server, error) {
	s := &Server{File: d.File, Start: d.Start, End: d.End, Directives: d.Block}
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
// file it came from ("" for the block itself): such directives still count
// for Listens/Names/SSL because nginx applies them, but the ones the engine
// would have to rewrite are problems since they live outside the block.
func (c *Config) serverDirective(s *Server, k *Directive, via string, depth int) error {
	outside := func(what string) {
		if via != "" {
			s.problem(fmt.Sprintf("%s set in included file %s", what, via))
		}
	}
	switch name := k.Name; {
	case name == "listen":
		outside("listen")
		l, err := parseListen(k.Args)
		if err != nil {
			s.problem(err.Error())
			return nil
		}
		s.Listens = append(s.Listens, l)
	case name == "server_name":
		outside("server_name")
		for _, n := range k.Args {
			if !strings.HasPrefix(n, "~") { // lowercasing a regex changes it
				n = strings.ToLower(n)
			}
			s.Names = append(s.Names, n)
		}
	case name == "location":
		if via != "" {
			s.problem(fmt.Sprintf("location %s in included file %s", strings.Join(k.Args, " "), via))
			return nil
		}
		s.Locations = append(s.Locations, newLocation(c, k))
	case name == "ssl" || strings.HasPrefix(name, "ssl_"):
		outside(name)
		if name == "ssl" && len(k.Args) == 1 && k.Args[0] == "on" {
			s.SSL = true
		}
	case name == "if":
		s.problem("if block at server level")
	case name == "rewrite":
		s.problem("rewrite at server level")
	case name == "include":
		abs, paths, err := c.include(k, depth)
		if err != nil {
			return err
		}
		if !allowedServerInclude(abs) {
			s.problem("include of " + k.Args[0] + " at server level")
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
	case !knownServerDirective(name):
		s.problem("unknown directive " + name)
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
