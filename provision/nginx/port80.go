package nginx

import (
	"fmt"
	"strings"

	"github.com/httpsify/httpsify/provision/nginxconf"
)

// The port-80 side of a site: the CA's HTTP-01 challenge must be served
// there, and everything else redirected to https.

// challengeGuard lets challenge requests skip the server-level rewrite
// directives (return, rewrite, if) that follow it: those run before any
// location is chosen, so a challenge location alone is never reached.
// `break` stops only that server-level set; other requests are unchanged.
const challengeGuard = `if ($uri ~ "^/\.well-known/acme-challenge/") { break; } # managed by httpsify: certificate challenges skip the redirects below`

// acmeLocation serves challenge files to the CA even in a block that asks
// for a password or admits only some addresses.
func acmeLocation(webroot string) string {
	return "location ^~ " + acmePath + " { root " + webroot + "; default_type text/plain; auth_basic off; allow all; } # httpsify: certificate challenges"
}

// rewritesFirst reports whether sv has server-level return, rewrite or if
// directives (its own or included), which run before location matching.
func rewritesFirst(sv *nginxconf.Server) bool {
	for _, e := range sv.All {
		switch e.D.Name {
		case "return", "rewrite", "if":
			return true
		}
	}
	return false
}

func hasGuard(cfg *nginxconf.Config, sv *nginxconf.Server) bool {
	content, _ := cfg.FileContent(sv.File)
	return strings.Contains(string(content[sv.Start:sv.End]), challengeGuard)
}

// toHTTPS reports whether a return or rewrite sends the client to https.
func toHTTPS(d *nginxconf.Directive) bool {
	switch {
	case d.Name == "return" && len(d.Args) == 2:
		switch d.Args[0] {
		case "301", "302", "307", "308":
			return strings.HasPrefix(d.Args[1], "https://")
		}
	case d.Name == "rewrite" && len(d.Args) == 3:
		return strings.HasPrefix(d.Args[1], "https://") && (d.Args[2] == "permanent" || d.Args[2] == "redirect")
	case d.Name == "if":
		for _, k := range d.Block {
			if toHTTPS(k) {
				return true
			}
		}
	}
	return false
}

// redirectBlock reports whether sv only sends clients to https: a
// server-level redirect and no location other than a challenge one.
func redirectBlock(sv *nginxconf.Server) bool {
	redirects := false
	for _, e := range sv.All {
		redirects = redirects || toHTTPS(e.D)
	}
	if !redirects {
		return false
	}
	for _, l := range sv.Locations {
		if !isAcme(l) {
			return false
		}
	}
	return true
}

// acmeRoot finds a challenge location of sv (its own or from an included
// snippet such as certbot's letsencrypt.conf) and the root it serves.
func acmeRoot(sv *nginxconf.Server) (loc nginxconf.Location, root string, ok bool) {
	for _, l := range sv.Locations {
		if !isAcme(l) {
			continue
		}
		for _, k := range l.D.Block {
			if k.Name == "root" && len(k.Args) == 1 && !strings.Contains(k.Args[0], "$") {
				return l, k.Args[0], true
			}
		}
		return l, "", true
	}
	return nginxconf.Location{}, "", false
}

// port80Edits make sv answer challenges from webroot in spite of its
// redirects, and take `ssl on` out (it would make port 80 speak TLS). The
// same edits serve the temporary step and, for a block that stays on
// port 80, the final configuration.
func port80Edits(cfg *nginxconf.Config, sv *nginxconf.Server, s *Settings, webroot string) ([]splice, error) {
	sp, err := challengeEdits(cfg, sv, webroot)
	if err != nil {
		return nil, err
	}
	tlsOff, err := sslOnEdits(cfg, sv, s)
	if err != nil {
		return nil, err
	}
	return append(sp, tlsOff...), nil
}

// toHTTPSPort80Edits is port80Edits for a block that is to redirect.
func toHTTPSPort80Edits(cfg *nginxconf.Config, sv *nginxconf.Server, s *Settings, webroot string) ([]splice, error) {
	sp, err := toHTTPSEdits(cfg, sv, s, webroot)
	if err != nil {
		return nil, err
	}
	tlsOff, err := sslOnEdits(cfg, sv, s)
	if err != nil {
		return nil, err
	}
	return append(sp, tlsOff...), nil
}

// challengeEdits add the challenge location (unless one serves webroot)
// and the guard past server-level redirects.
func challengeEdits(cfg *nginxconf.Config, sv *nginxconf.Server, webroot string) ([]splice, error) {
	return challengeAndRedirect(cfg, sv, webroot, "")
}

// redirectNote marks the return httpsify adds to a port-80 block that
// served the site in plain http beside its TLS twin.
const redirectNote = "# managed by httpsify: plain http goes to https; the lines below no longer answer"

// toHTTPSEdits make a port-80 block that served content redirect to https
// instead, in place: a server-level return at its top (after the guard
// that lets challenges through); every line it had stays.
func toHTTPSEdits(cfg *nginxconf.Config, sv *nginxconf.Server, s *Settings, webroot string) ([]splice, error) {
	return challengeAndRedirect(cfg, sv, webroot, "return 301 "+redirectTarget(s.HTTPSPort)+"; "+redirectNote)
}

// onlyRedirects is redirectBlock, or a block httpsify made redirect.
func onlyRedirects(cfg *nginxconf.Config, sv *nginxconf.Server) bool {
	return redirectBlock(sv) || redirected(cfg, sv)
}

// redirected reports whether httpsify already made sv redirect.
func redirected(cfg *nginxconf.Config, sv *nginxconf.Server) bool {
	content, _ := cfg.FileContent(sv.File)
	return strings.Contains(string(content[sv.Start:sv.End]), redirectNote)
}

func challengeAndRedirect(cfg *nginxconf.Config, sv *nginxconf.Server, webroot, redirect string) ([]splice, error) {
	content, _ := cfg.FileContent(sv.File)
	var sp []splice
	var first []string
	if redirected(cfg, sv) {
		redirect = ""
	}
	if (rewritesFirst(sv) || redirect != "") && !hasGuard(cfg, sv) {
		first = append(first, challengeGuard)
	}
	if redirect != "" {
		first = append(first, redirect)
	}
	loc, root, ok := acmeRoot(sv)
	switch {
	case ok && root == webroot:
	case ok && loc.Via != "":
		return nil, fmt.Errorf("the challenge location in %s (included by the server block at %s) does not serve files from %s; remove that include line so httpsify can add its own", loc.Via, where(cfg, sv), webroot)
	case ok:
		sp = append(sp, replaceDirective(loc.D, acmeLocation(webroot)))
	default:
		first = append(first, acmeLocation(webroot))
	}
	if len(first) > 0 {
		sp = append(sp, insertFirst(content, sv.Block, first...))
	}
	return sp, nil
}

// sslOnEdits replace a legacy `ssl on;` by the ssl parameter on the
// listens that are not the HTTP port, so TLS stays where it was and port
// 80 speaks plain HTTP again.
func sslOnEdits(cfg *nginxconf.Config, sv *nginxconf.Server, s *Settings) ([]splice, error) {
	content, _ := cfg.FileContent(sv.File)
	var sp []splice
	on := false
	for _, e := range sv.All {
		if e.D.Name != "ssl" {
			continue
		}
		if e.Via != "" {
			return nil, fmt.Errorf("`ssl %s;` in %s (included by the server block at %s) turns TLS on for every port of that block; delete it (httpsify adds `ssl` to the HTTPS listen itself)", strings.Join(e.D.Args, " "), e.Via, where(cfg, sv))
		}
		on = on || len(e.D.Args) == 1 && e.D.Args[0] == "on"
		sp = append(sp, deleteDirective(content, e.D))
	}
	if !on {
		return sp, nil
	}
	for _, e := range sv.All {
		if e.D.Name != "listen" || len(e.D.Args) == 0 || strings.HasPrefix(e.D.Args[0], "unix:") {
			continue
		}
		l, err := nginxconf.ParseListen(e.D.Args)
		if err != nil || l.Port == s.HTTPPort || l.SSL {
			continue
		}
		if e.Via != "" {
			return nil, fmt.Errorf("the listen on port %d is in %s (included by the server block at %s); move it into the block so httpsify can add `ssl` to it in place of `ssl on`", l.Port, e.Via, where(cfg, sv))
		}
		args := append([]string{l.Raw[0], "ssl"}, l.Raw[1:]...)
		sp = append(sp, replaceDirective(e.D, "listen "+strings.Join(args, " ")+";"))
	}
	return sp, nil
}

// redirectServer is httpsify's own port-80 server: it answers the CA's
// challenges and sends every other request to https. listens are the
// listen lines, as written, that it takes over from the site.
func redirectServer(listens, names []string, s *Settings, webroot, ind string) string {
	var b strings.Builder
	b.WriteString("server {\n")
	b.WriteString(ind + managedMarker + "\n")
	b.WriteString(ind + "# answers the CA's challenges on port 80 and sends every other request to https\n")
	for _, l := range listens {
		b.WriteString(ind + l + "\n")
	}
	fmt.Fprintf(&b, "%sserver_name %s;\n\n", ind, strings.Join(names, " "))
	fmt.Fprintf(&b, "%slocation ^~ %s {\n%s%sroot %s;\n%s%sdefault_type text/plain;\n%s}\n\n", ind, acmePath, ind, ind, webroot, ind, ind, ind)
	fmt.Fprintf(&b, "%slocation / {\n%s%sreturn 301 %s;\n%s}\n}", ind, ind, ind, redirectTarget(s.HTTPSPort), ind)
	return b.String()
}

const managedMarker = "# managed by httpsify"

// ownListens are the listen lines written in sv itself, as written.
func ownListens(cfg *nginxconf.Config, sv *nginxconf.Server) []string {
	content, _ := cfg.FileContent(sv.File)
	var out []string
	for _, d := range sv.Directives {
		if d.Name == "listen" {
			out = append(out, string(content[d.Start:d.End]))
		}
	}
	return out
}

func where(cfg *nginxconf.Config, sv *nginxconf.Server) string {
	return fmt.Sprintf("%s:%d", sv.File, lineOf(cfg, sv))
}
