package validate

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

// UpstreamKind says which of the three accepted upstream forms was given.
type UpstreamKind int

const (
	UpstreamUnix     UpstreamKind = iota + 1 // unix:/path.sock
	UpstreamHostPort                         // host:port
	UpstreamURL                              // http(s)://host[:port][/path]
)

// Upstream is a parsed, validated backend address.
type Upstream struct {
	Kind   UpstreamKind
	Socket string // absolute socket path, for UpstreamUnix
	Scheme string // "http" or "https" (http for unix and host:port)
	Host   string // host name (ASCII), IPv4, or IPv6 without brackets
	Port   int    // 0 when not given in a URL
	Path   string // URL path incl. leading "/", "" when none
	// Note explains a rewrite of what was typed (0.0.0.0 becomes
	// 127.0.0.1), for the user to see; "" when taken as typed.
	Note string
}

const (
	maxUpstream = 8192
	// maxSocket is sun_path (108 bytes on Linux) minus the NUL; nginx
	// cannot connect to a longer socket path.
	maxSocket = 107
)

// upstreamForms is the hint given when the form is not recognised.
var upstreamForms = i18n.N("use unix:/path/to/app.sock, host:port, or http(s)://host[:port]/path")

// ParseUpstream accepts "unix:/abs/path.sock" (optionally followed by
// ":/uri", as nginx writes it), "host:port" (host = name, IPv4, or [IPv6]),
// and "http(s)://host[:port][/path]". Host names may be single-label
// ("localhost", "app"); no userinfo, query, fragment or nginx variables.
func ParseUpstream(s string) (Upstream, error) {
	if s == "" {
		return Upstream{}, errors.New("upstream is empty; " + upstreamForms)
	}
	if len(s) > maxUpstream {
		return Upstream{}, i18n.Errorf("%s is too long for an upstream", show(s))
	}
	if err := checkText(s); err != nil {
		return Upstream{}, err
	}
	// Config syntax and nginx variables, with a clear message; anything
	// else unexpected is caught by the per-part allowlists below.
	if i := strings.IndexAny(s, ";{}\"'`\\$#|<>^*,()"); i >= 0 {
		return Upstream{}, i18n.Errorf("%s contains %q, which is not allowed in an upstream", show(s), s[i])
	}

	if rest, ok := cutPrefixFold(s, "unix:"); ok {
		return parseUnix(s, rest)
	}
	if scheme, rest, ok := strings.Cut(s, "://"); ok {
		return parseURL(s, strings.ToLower(scheme), rest)
	}
	if s[0] == '/' {
		// gunicorn --bind unix:/path, copied without its prefix.
		return Upstream{}, i18n.Errorf("%s looks like a socket path; write it as unix:%s", show(s), s)
	}
	hp := strings.TrimSuffix(s, "/") // "127.0.0.1:8000/", as copied from a browser
	if strings.Contains(hp, "/") || isSocketName(hp) {
		if isSocketName(s) {
			return Upstream{}, i18n.Errorf("%s: a socket path must be absolute, like unix:/full/path/to/%s", show(s), lastElem(s))
		}
		return Upstream{}, i18n.Errorf("%s is not an upstream; %s", show(s), i18n.Tr(upstreamForms))
	}
	host, port, err := splitHostPort(s, hp, true)
	if err != nil {
		return Upstream{}, err
	}
	u := Upstream{Kind: UpstreamHostPort, Scheme: "http", Host: host, Port: port}
	return anyToLoopback(u), nil
}

// isSocketName: "myproject.sock" or "run/app.sock", a relative socket path.
func isSocketName(s string) bool {
	return !strings.Contains(s, ":") && strings.HasSuffix(strings.ToLower(s), ".sock")
}

func lastElem(s string) string { return s[strings.LastIndexByte(s, '/')+1:] }

// anyToLoopback: gunicorn and Flask bind 0.0.0.0 ("every address"), which
// is no address to connect to; nginx on the same machine reaches the app
// on loopback.
func anyToLoopback(u Upstream) Upstream {
	was := u.hostPort()
	switch u.Host {
	case "0.0.0.0":
		u.Host = "127.0.0.1"
	case "::":
		u.Host = "::1"
	default:
		return u
	}
	u.Note = fmt.Sprintf("%s means every address to the app, not one to connect to: nginx will connect to %s", was, u.hostPort())
	return u
}

func parseUnix(s, rest string) (Upstream, error) {
	sock, uri, hasURI := strings.Cut(rest, ":")
	if sock == "" {
		return Upstream{}, i18n.Errorf("%s: the socket path is missing", show(s))
	}
	if sock[0] != '/' {
		return Upstream{}, i18n.Errorf("%s: the socket path must be absolute, like unix:/run/app.sock", show(s))
	}
	sock, err := Path(sock)
	if err != nil {
		return Upstream{}, i18n.Errorf("bad socket path: %w", err)
	}
	if sock == "/" {
		return Upstream{}, i18n.Errorf("%s: the socket path is missing", show(s))
	}
	if len(sock) > maxSocket {
		return Upstream{}, i18n.Errorf("%s: socket paths are limited to %d characters", show(s), maxSocket)
	}
	u := Upstream{Kind: UpstreamUnix, Socket: sock, Scheme: "http"}
	if hasURI {
		if u.Path, err = urlPath(s, uri); err != nil {
			return Upstream{}, err
		}
		if u.Path == "" {
			return Upstream{}, i18n.Errorf("%s: nothing after the ':' following the socket path", show(s))
		}
	}
	return u, nil
}

func parseURL(s, scheme, rest string) (Upstream, error) {
	if scheme != "http" && scheme != "https" {
		return Upstream{}, i18n.Errorf("%s: the scheme must be http or https", show(s))
	}
	authority, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority, path = rest[:i], rest[i:]
	}
	if strings.Contains(rest, "?") {
		return Upstream{}, i18n.Errorf("%s: query strings are not supported in an upstream", show(s))
	}
	if strings.Contains(authority, "@") {
		return Upstream{}, i18n.Errorf("%s: user names and passwords are not supported in an upstream URL", show(s))
	}
	host, port, err := splitHostPort(s, authority, false)
	if err != nil {
		return Upstream{}, err
	}
	if path, err = urlPath(s, path); err != nil {
		return Upstream{}, err
	}
	return anyToLoopback(Upstream{Kind: UpstreamURL, Scheme: scheme, Host: host, Port: port, Path: path}), nil
}

// urlPath checks a URL path: [A-Za-z0-9._~/-] only (no percent-escapes, no
// variables), starting with "/", and no ".." element.
func urlPath(s, p string) (string, error) {
	if p == "" {
		return "", nil
	}
	if p[0] != '/' {
		return "", i18n.Errorf("%s: the path must start with /", show(s))
	}
	for _, r := range p {
		if !(r < 0x80 && isLDH(byte(r)) || r == '.' || r == '_' || r == '~' || r == '/') {
			return "", i18n.Errorf("%s: the path contains %q; only letters, digits and . _ ~ / - are allowed", show(s), r)
		}
	}
	for _, el := range strings.Split(p, "/") {
		if el == ".." {
			return "", i18n.Errorf("%s: the path contains a \"..\" element", show(s))
		}
	}
	return p, nil
}

// splitHostPort splits and validates "host:port", "[v6]:port" or, when the
// port is optional, a bare host or "[v6]". s is the whole upstream, for
// messages.
func splitHostPort(s, hp string, needPort bool) (string, int, error) {
	if hp == "" || hp[0] == ':' && strings.Count(hp, ":") == 1 {
		return "", 0, i18n.Errorf("%s: the host is missing", show(s))
	}
	var host, port string
	hasPort := false
	if hp[0] == '[' {
		end := strings.IndexByte(hp, ']')
		if end < 0 {
			return "", 0, i18n.Errorf("%s: missing ] after the IPv6 address", show(s))
		}
		host, port = hp[1:end], hp[end+1:]
		if port != "" {
			if port[0] != ':' {
				return "", 0, i18n.Errorf("%s: unexpected text after ]", show(s))
			}
			port, hasPort = port[1:], true
		}
		addr, err := netip.ParseAddr(host)
		if err != nil || !addr.Is6() || addr.Zone() != "" {
			return "", 0, i18n.Errorf("%s is not a valid IPv6 address", show(host))
		}
		host = addr.String()
	} else {
		if strings.Count(hp, ":") > 1 {
			return "", 0, i18n.Errorf("%s: put IPv6 addresses in brackets, like [::1]:8000", show(s))
		}
		host, port, hasPort = strings.Cut(hp, ":")
		var err error
		if host, err = upstreamHost(host); err != nil {
			return "", 0, err
		}
	}
	if !hasPort {
		if needPort {
			return "", 0, i18n.Errorf("%s: the port is missing; use host:port, like 127.0.0.1:8000", show(s))
		}
		return host, 0, nil
	}
	n, err := parsePort(port)
	if err != nil {
		return "", 0, i18n.Errorf("%s: %w", show(s), err)
	}
	return host, n, nil
}

// upstreamHost accepts an IPv4 address or a host name, single-label allowed.
func upstreamHost(h string) (string, error) {
	if addr, err := netip.ParseAddr(h); err == nil && addr.Is4() {
		return addr.String(), nil
	}
	if len(h) > maxNameInput {
		return "", i18n.Errorf("%s is too long for a host name", show(h))
	}
	return hostname(h, "host name", false, false)
}

// cutPrefixFold is strings.CutPrefix, ignoring ASCII case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// hostPort joins host and port, bracketing IPv6.
func (u Upstream) hostPort() string {
	h := u.Host
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	if u.Port != 0 {
		h += ":" + strconv.Itoa(u.Port)
	}
	return h
}

// String returns the canonical form, accepted back by ParseUpstream.
func (u Upstream) String() string {
	switch u.Kind {
	case UpstreamUnix:
		if u.Path != "" {
			return "unix:" + u.Socket + ":" + u.Path
		}
		return "unix:" + u.Socket
	case UpstreamHostPort:
		return u.hostPort()
	case UpstreamURL:
		return u.Scheme + "://" + u.hostPort() + u.Path
	}
	return ""
}

// NginxProxyPass returns the proxy_pass argument. The path is passed as
// given: per nginx rules, a URI part (even "/") replaces the matched
// location prefix, and no URI passes the request URI unchanged.
func (u Upstream) NginxProxyPass() string {
	switch u.Kind {
	case UpstreamUnix:
		if u.Path != "" {
			return "http://unix:" + u.Socket + ":" + u.Path
		}
		return "http://unix:" + u.Socket
	case UpstreamHostPort:
		return "http://" + u.hostPort()
	case UpstreamURL:
		return u.String()
	}
	return ""
}

// ApacheProxyPass returns the ProxyPass target. It always ends in "/"
// because httpsify maps "/" and Apache wants the slashes to match.
func (u Upstream) ApacheProxyPass() string {
	p := u.Path
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	switch u.Kind {
	case UpstreamUnix:
		return "unix:" + u.Socket + "|http://localhost" + p
	case UpstreamHostPort:
		return "http://" + u.hostPort() + p
	case UpstreamURL:
		return u.Scheme + "://" + u.hostPort() + p
	}
	return ""
}

// ParseProxyPass reads back an nginx proxy_pass value (the inverse of
// NginxProxyPass): `http://unix:/path.sock` is the unix form. ok is false
// when the value is not one httpsify could have written (a variable, say).
func ParseProxyPass(pp string) (Upstream, bool) {
	u := pp
	if rest, ok := strings.CutPrefix(pp, "http://unix:"); ok {
		u = "unix:" + rest
	}
	v, err := ParseUpstream(u)
	return v, err == nil
}
