package nginx

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/nginxconf"
	"github.com/httpsify/httpsify/provision/validate"
)

// The site's own server block is edited in place: its listens on the HTTP
// port become TLS listens with the same options (the plain ones move to
// httpsify's port-80 server), a marked region holds the certificate and
// TLS settings, and what those supersede is taken out. Every other line,
// comment and include stays where it was.

const regionEnd = "# end of managed by httpsify"

// supersededTLS are the server-level directives the managed region sets;
// the block's own copies would be duplicates nginx refuses.
var supersededTLS = []string{
	"ssl_certificate", "ssl_certificate_key", "ssl_protocols", "ssl_ciphers",
	"ssl_prefer_server_ciphers", "ssl_session_cache", "ssl_session_timeout",
	"ssl_session_tickets", "ssl_ecdh_curve",
}

// siteResult is what editing the site block produced.
type siteResult struct {
	splices  []splice
	moved    []string // plain listen lines for httpsify's port-80 server
	warnings []string
}

// tlsSiteEdits edits one TLS block. keepPlain leaves its HTTP-port
// listens where they are (a block that only redirects keeps doing so on
// port 80).
func tlsSiteEdits(d *Detection, sv *nginxconf.Server, s *Settings, keepPlain bool) (siteResult, error) {
	cfg := d.Config
	content, _ := cfg.FileContent(sv.File)
	var r siteResult
	http2Param := s.HTTP2 && !d.Version.HTTP2Directive()
	taken := takenSockets(cfg, sv)

	// Listens.
	var tlsAt []string // sockets the block has on the HTTPS port
	var plain []*nginxconf.Directive
	var lastHead *nginxconf.Directive // the last listen/server_name line
	for _, e := range sv.All {
		if e.D.Name != "listen" && e.D.Name != "server_name" {
			continue
		}
		if e.Via == "" {
			lastHead = e.D
		}
		if e.D.Name != "listen" || len(e.D.Args) == 0 || strings.HasPrefix(e.D.Args[0], "unix:") {
			continue
		}
		l, err := nginxconf.ParseListen(e.D.Args)
		if err != nil {
			return r, fmt.Errorf("the server block at %s: %v", where(cfg, sv), err)
		}
		if l.Port != s.HTTPPort && l.Port != s.HTTPSPort || slices.Contains(l.Raw, "quic") {
			continue // other ports (an admin port, 8080) and HTTP/3 (UDP) stay as they are
		}
		if e.Via != "" {
			return r, fmt.Errorf("the listen on port %d of the server block at %s is in %s; httpsify has to change that line: move the listen lines into the block itself", l.Port, where(cfg, sv), e.Via)
		}
		if l.Port == s.HTTPPort {
			if !keepPlain {
				plain = append(plain, e.D)
			}
			continue
		}
		tlsAt = append(tlsAt, sockKey(l))
		h2 := http2Param
		if d.Version.HTTP2Directive() {
			h2 = l.HTTP2 // newer nginx: http2 is a directive; leave the listen alone
		}
		if args, changed := withTLS(l, h2); changed {
			r.splices = append(r.splices, replaceDirective(e.D, "listen "+strings.Join(args, " ")+";"))
		}
	}
	implicit := !slices.ContainsFunc(sv.All, func(e nginxconf.Entry) bool { return e.D.Name == "listen" })
	var extraListen []string
	if implicit && s.HTTPPort == 80 && !keepPlain {
		// No listen at all means *:80 (as root): the TLS twin is written
		// out and port 80 moves to httpsify's server.
		args, _ := tlsListenArgs(nginxconf.Listen{Port: 80, Raw: []string{"80"}}, s.HTTPSPort, http2Param, taken)
		extraListen = append(extraListen, "listen "+strings.Join(args, " ")+";")
		r.moved = append(r.moved, fmt.Sprintf("listen %d;", s.HTTPPort))
	}
	for _, pd := range plain {
		l, _ := nginxconf.ParseListen(pd.Args)
		r.moved = append(r.moved, string(content[pd.Start:pd.End]))
		twin := l
		twin.Port = s.HTTPSPort
		if slices.Contains(tlsAt, sockKey(twin)) {
			r.splices = append(r.splices, deleteDirective(content, pd))
			continue
		}
		tlsAt = append(tlsAt, sockKey(twin))
		args, dropped := tlsListenArgs(l, s.HTTPSPort, http2Param, taken)
		if len(dropped) > 0 {
			r.warnings = append(r.warnings, i18n.T("the new `listen %s` of the server block at %s leaves out %s: another server already sets it on that address and port", strings.Join(args, " "), where(cfg, sv), strings.Join(dropped, " ")))
		}
		r.splices = append(r.splices, replaceDirective(pd, "listen "+strings.Join(args, " ")+";"))
	}

	// certbot's TLS lines give way to httpsify's (certbot_tls.go).
	certbotDrops, certbotIncluded := certbotTLSLines(content, sv, s.CertbotDir)
	r.splices = append(r.splices, certbotDrops...)

	// Directives the region supersedes, and ones it must not duplicate.
	skip := map[string]bool{}
	serverHeaders := false
	for _, e := range sv.All {
		name := e.D.Name
		if certbotIncluded[e.Via] {
			continue // its include line is deleted above
		}
		superseded := slices.Contains(supersededTLS, name) || name == "ssl" ||
			name == "http2" && s.HTTP2 && d.Version.HTTP2Directive() ||
			name == "add_header" && s.HSTS && len(e.D.Args) > 0 && strings.EqualFold(e.D.Args[0], "Strict-Transport-Security")
		serverHeaders = serverHeaders || name == "add_header"
		switch {
		case !superseded:
		case e.Via == "" && inRegion(content, sv, e.D):
		case e.Via == "":
			r.splices = append(r.splices, deleteDirective(content, e.D))
		case name == "ssl_certificate" || name == "ssl_certificate_key" || name == "ssl":
			return r, fmt.Errorf("%s sets %s for the server block at %s; httpsify writes the certificate lines itself: remove that include line from the block", e.Via, name, where(cfg, sv))
		case name == "ssl_protocols" && slices.ContainsFunc(e.D.Args, oldProtocol):
			return r, fmt.Errorf("%s enables %s for the server block at %s; remove that include line (httpsify writes TLS 1.2/1.3 settings itself) or drop the old versions from it", e.Via, strings.Join(e.D.Args, " "), where(cfg, sv))
		default:
			skip[name] = true // a kept snippet (certbot's options) already sets it
		}
	}
	if s.BodySize != "" {
		for _, e := range sv.All {
			if e.D.Name != "client_max_body_size" {
				continue
			}
			skip["client_max_body_size"] = true
			if e.Via != "" {
				r.warnings = append(r.warnings, i18n.T("client_max_body_size is set in %s; --client-max-body-size was not applied", e.Via))
			} else if !inRegion(content, sv, e.D) {
				r.splices = append(r.splices, replaceDirective(e.D, "client_max_body_size "+s.BodySize+";"))
			} else {
				delete(skip, "client_max_body_size")
			}
		}
	}

	// The managed region.
	ind := blockIndent(content, sv.Block)
	lines := []string{managedMarker, "# TLS for " + strings.Join(s.Domains, " ") + "; rerun httpsify to change the lines up to the end marker"}
	add := func(name, line string) {
		if !skip[name] {
			lines = append(lines, line)
		}
	}
	add("ssl_certificate", "ssl_certificate     "+filepath.Join(s.CertDir, "fullchain.pem")+";")
	add("ssl_certificate_key", "ssl_certificate_key "+filepath.Join(s.CertDir, "privkey.pem")+";")
	tls := provision.Profiles[s.TLSProfile]
	add("ssl_protocols", "ssl_protocols "+tls.Protocols+";")
	if tls.Ciphers != "" {
		add("ssl_ciphers", "ssl_ciphers "+tls.Ciphers+";")
	}
	add("ssl_ecdh_curve", "ssl_ecdh_curve X25519:prime256v1:secp384r1;")
	add("ssl_prefer_server_ciphers", "ssl_prefer_server_ciphers off;")
	add("ssl_session_timeout", "ssl_session_timeout 1d;")
	add("ssl_session_cache", "ssl_session_cache shared:httpsify:10m;")
	add("ssl_session_tickets", "ssl_session_tickets off;")
	if s.HTTP2 && d.Version.HTTP2Directive() {
		lines = append(lines, "http2 on;")
	}
	if s.HSTS {
		if !serverHeaders {
			// A first add_header here would drop the http level's.
			for _, h := range cfg.HTTP {
				if h.Name == "add_header" {
					c, _ := cfg.FileContent(h.File)
					lines = append(lines, string(c[h.Start:h.End]))
				}
			}
		}
		lines = append(lines, hstsHeader)
	}
	if s.BodySize != "" {
		add("client_max_body_size", "client_max_body_size "+s.BodySize+";")
	}
	lines = append(lines, regionEnd)
	var text strings.Builder
	for _, l := range extraListen {
		text.WriteString(ind + l + "\n")
	}
	for _, l := range lines {
		text.WriteString(ind + l + "\n")
	}
	if start, end, ok := region(content, sv); ok {
		r.splices = append(r.splices, splice{start, end, text.String()})
	} else {
		at := openBrace(content, sv.Block)
		if lastHead != nil {
			at = lastHead.End
		}
		r.splices = append(r.splices, linesAfter(content, at, ind, text.String()))
	}

	hdr, warn := forwardedProtoEdits(cfg, sv)
	r.splices = append(r.splices, hdr...)
	if s.HSTS {
		r.splices = append(r.splices, hstsEdits(cfg, sv)...)
	}
	r.warnings = append(r.warnings, warn...)
	return r, nil
}

func oldProtocol(a string) bool {
	return a == "TLSv1" || a == "TLSv1.1" || a == "SSLv3" || a == "SSLv2"
}

// region finds the managed region of sv: from the start of its marker
// line to just after its end line.
func region(content []byte, sv *nginxconf.Server) (start, end int, ok bool) {
	body := string(content[sv.Start:sv.End])
	lines := strings.SplitAfter(body, "\n")
	pos, start := sv.Start, -1
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case t == managedMarker && start < 0:
			start = pos
		case t == regionEnd && start >= 0:
			return start, pos + len(l), true
		}
		pos += len(l)
	}
	return 0, 0, false
}

func inRegion(content []byte, sv *nginxconf.Server, d *nginxconf.Directive) bool {
	start, end, ok := region(content, sv)
	return ok && d.Start >= start && d.End <= end
}

// upstreamEdit points the proxy_pass of `location /` at --upstream when it
// differs, and returns the proxy_pass in force for display and checking.
func upstreamEdit(cfg *nginxconf.Config, sv *nginxconf.Server, s *Settings) ([]splice, string, error) {
	for _, l := range sv.Locations {
		if len(l.Args) != 1 || l.Args[0] != "/" || l.ProxyPass == "" {
			continue
		}
		if s.Upstream == nil {
			return nil, l.ProxyPass, nil
		}
		want := s.Upstream.NginxProxyPass()
		if up, ok := validate.ParseProxyPass(l.ProxyPass); ok && up.NginxProxyPass() == want || l.ProxyPass == want {
			return nil, l.ProxyPass, nil
		}
		if l.Via != "" {
			return nil, "", fieldErr(provision.FlagUpstream, fmt.Errorf("the site's `location /` is in %s; change its proxy_pass there, or leave --upstream out", l.Via))
		}
		for _, k := range l.D.Block {
			if k.Name == "proxy_pass" {
				return []splice{replaceDirective(k, "proxy_pass "+want+";")}, want, nil
			}
		}
	}
	if s.Upstream != nil {
		return nil, "", fieldErr(provision.FlagUpstream, fmt.Errorf("the server block at %s has no `location /` with proxy_pass to point at %s; leave --upstream out to keep the site as it is, or add that location first", where(cfg, sv), s.Upstream.NginxProxyPass()))
	}
	return nil, "", nil
}

// overlaps reports whether x intersects any of sp.
func overlaps(sp []splice, x splice) bool {
	for _, y := range sp {
		if x.Start < y.End && y.Start < x.End {
			return true
		}
	}
	return false
}

func sortServers(list []*nginxconf.Server, order map[*nginxconf.Server]int) {
	sort.SliceStable(list, func(i, j int) bool { return order[list[i]] < order[list[j]] })
}

func sortChanges(list []FileChange) {
	sort.SliceStable(list, func(i, j int) bool { return list[i].Path < list[j].Path })
}
