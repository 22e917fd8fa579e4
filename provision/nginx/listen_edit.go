package nginx

import (
	"net"
	"strconv"
	"strings"

	"github.com/httpsify/httpsify/provision/nginxconf"
)

// socketOption reports listen parameters that nginx accepts only once per
// address:port across all servers ("duplicate listen options").
func socketOption(p string) bool {
	name, _, _ := strings.Cut(p, "=")
	switch name {
	case "backlog", "rcvbuf", "sndbuf", "reuseport", "deferred", "bind", "ipv6only",
		"so_keepalive", "fastopen", "accept_filter", "setfib":
		return true
	}
	return false
}

// sockKey names a listening socket: "*" for all IPv4 addresses.
func sockKey(l nginxconf.Listen) string {
	a := strings.Trim(l.Addr, "[]")
	if a == "" || a == "0.0.0.0" {
		a = "*"
	}
	if l.IPv6 {
		a = "[" + a + "]"
	}
	return a + ":" + strconv.Itoa(l.Port)
}

// socketTaken records what other servers already set on a socket.
type socketTaken struct{ options, defaultServer bool }

// takenSockets collects, for every socket, whether a server other than
// skip already gives it socket options or a default_server.
func takenSockets(cfg *nginxconf.Config, skip *nginxconf.Server) map[string]socketTaken {
	out := map[string]socketTaken{}
	for _, sv := range cfg.Servers {
		if sv == skip {
			continue
		}
		for _, l := range sv.Listens {
			t := out[sockKey(l)]
			t.defaultServer = t.defaultServer || l.DefaultServer
			for _, p := range l.Raw[min(1, len(l.Raw)):] {
				t.options = t.options || socketOption(p)
			}
			out[sockKey(l)] = t
		}
	}
	return out
}

// listenAddress writes addr:port the way nginx reads it back.
func listenAddress(l nginxconf.Listen, port int) string {
	a := strings.Trim(l.Addr, "[]")
	switch {
	case l.IPv6:
		return "[" + a + "]:" + strconv.Itoa(port)
	case a == "":
		return strconv.Itoa(port)
	}
	return net.JoinHostPort(a, strconv.Itoa(port))
}

// tlsListenArgs turns a plain listen into its TLS twin on port, keeping
// every option (default_server, proxy_protocol, ipv6only, backlog …)
// unless another server already sets it on that socket, which nginx
// would refuse. Dropped options are returned for a warning.
func tlsListenArgs(l nginxconf.Listen, port int, http2 bool, taken map[string]socketTaken) (args, dropped []string) {
	twin := l
	twin.Port = port
	t := taken[sockKey(twin)]
	args = []string{listenAddress(l, port), "ssl"}
	if http2 {
		args = append(args, "http2")
	}
	for _, p := range l.Raw[1:] {
		switch {
		case p == "ssl" || p == "http2":
			continue
		case (p == "default_server" || p == "default") && t.defaultServer,
			socketOption(p) && t.options:
			dropped = append(dropped, p)
			continue
		}
		args = append(args, p)
	}
	return args, dropped
}

// withTLS adds ssl (and http2 when asked, drops it when not) to a listen
// that is already on the HTTPS port; ok is false when nothing changes.
func withTLS(l nginxconf.Listen, http2 bool) ([]string, bool) {
	args := []string{l.Raw[0]}
	changed := !l.SSL
	args = append(args, "ssl")
	if http2 {
		args = append(args, "http2")
		changed = changed || !l.HTTP2
	} else if l.HTTP2 {
		changed = true
	}
	for _, p := range l.Raw[1:] {
		if p != "ssl" && p != "http2" {
			args = append(args, p)
		}
	}
	if !changed {
		return l.Raw, false
	}
	return args, true
}
