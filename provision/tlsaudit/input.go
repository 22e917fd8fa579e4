package tlsaudit

import (
	"strconv"
	"strings"
)

// Directive is one nginx directive as written, arguments unquoted.
type Directive struct {
	Name string
	Args []string
}

// Input is what the server block sees.
type Input struct {
	// HTTP holds the http-level directives, in file order (Debian's
	// nginx.conf sets ssl_protocols and ssl_prefer_server_ciphers there).
	HTTP []Directive
	// Server holds the server block's own directives, includes expanded
	// (certbot's options-ssl-nginx.conf is an include).
	Server []Directive
	// NginxVersion is "nginx -v"'s version ("1.22.1"); empty if unknown.
	// It decides nginx's built-in ssl_protocols default and whether
	// "ssl on" still parses.
	NginxVersion string
}

// lookup returns the occurrences of name at the innermost level that sets
// it: ssl_* directives in a server replace, not add to, the http level.
func (in Input) lookup(name string) (args [][]string, level string) {
	for _, lv := range []struct {
		ds   []Directive
		name string
	}{{in.Server, "server"}, {in.HTTP, "http"}} {
		for _, d := range lv.ds {
			if d.Name == name {
				args = append(args, unquoteAll(d.Args))
			}
		}
		if len(args) > 0 {
			return args, lv.name
		}
	}
	return nil, ""
}

func unquoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if len(a) >= 2 && (a[0] == '"' || a[0] == '\'') && a[len(a)-1] == a[0] {
			a = a[1 : len(a)-1]
		}
		out[i] = a
	}
	return out
}

// version is a parsed nginx version; zero when unknown.
type version [3]int

func parseVersion(s string) version {
	var v version
	s = strings.TrimPrefix(strings.TrimSpace(s), "nginx/")
	for i, p := range strings.SplitN(s, ".", 3) {
		n, err := strconv.Atoi(p)
		if err != nil {
			return version{}
		}
		v[i] = n
	}
	return v
}

func (v version) known() bool { return v != version{} }

func (v version) atLeast(maj, min, patch int) bool {
	return v[0] > maj || v[0] == maj && (v[1] > min || v[1] == min && v[2] >= patch)
}
