package nginxconf

import (
	"fmt"
	"strconv"
	"strings"
)

// Listen is one `listen` directive.
type Listen struct {
	Addr                            string // "" (all), "127.0.0.1", "[::]" ...
	Port                            int
	SSL, HTTP2, DefaultServer, IPv6 bool
	Raw                             []string // the listen arguments as written
}

// parseListen follows ngx_parse_url for listen addresses: a bare number is a
// port, a bare host gets port 80, "*" means all addresses, IPv6 is
// bracketed. Unix sockets are rejected because HTTPS cannot be added there
// by rewriting a port.
func parseListen(args []string) (Listen, error) {
	if len(args) == 0 {
		return Listen{}, fmt.Errorf("listen without address")
	}
	l := Listen{Raw: args, Port: 80}
	addr := args[0]
	var host, port string
	hasPort := false
	switch {
	case strings.HasPrefix(addr, "unix:"):
		return Listen{}, fmt.Errorf("listen on unix socket %s", addr)
	case strings.HasPrefix(addr, "["):
		i := strings.IndexByte(addr, ']')
		if i < 0 {
			return Listen{}, fmt.Errorf("listen address %q: missing ']'", addr)
		}
		host, l.IPv6 = addr[:i+1], true
		switch rest := addr[i+1:]; {
		case rest == "":
		case rest[0] == ':':
			port, hasPort = rest[1:], true
		default:
			return Listen{}, fmt.Errorf("listen address %q: junk after ']'", addr)
		}
	case isDigits(addr):
		port, hasPort = addr, true
	default:
		if i := strings.LastIndexByte(addr, ':'); i >= 0 {
			host, port, hasPort = addr[:i], addr[i+1:], true
		} else {
			host = addr
		}
	}
	if host == "*" {
		host = ""
	}
	if hasPort {
		n, err := strconv.Atoi(port)
		if err != nil || !isDigits(port) || n < 1 || n > 65535 {
			return Listen{}, fmt.Errorf("listen address %q: invalid port", addr)
		}
		l.Port = n
	}
	l.Addr = host
	for _, a := range args[1:] {
		switch a {
		case "ssl":
			l.SSL = true
		case "http2":
			l.HTTP2 = true
		case "default_server", "default":
			l.DefaultServer = true
		}
	}
	return l, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
