package nginx

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/nginxconf"
	"github.com/httpsify/httpsify/provision/termtext"
	"github.com/httpsify/httpsify/provision/txn"
	"github.com/httpsify/httpsify/provision/validate"
)

// PlanSite plans the site's TLS edits. An existing site is edited in
// place (see site_edits.go): only what HTTPS needs is added, only what it
// supersedes is removed.
func (Server) PlanSite(p *Plan) error {
	d, s := of(p.Detection), p.Settings
	if err := planSite(p, d, s); err != nil {
		return err
	}
	return nil
}

func planSite(p *Plan, d *Detection, s *Settings) error {
	opaque, err := opaqueFiles(d.Config, s)
	if err != nil {
		return err
	}
	p.Warnings = append(p.Warnings, opaque...)
	owned, err := ownedServers(d.Config, s)
	if err != nil {
		return err
	}
	roles, err := siteRoles(d.Config, owned, s)
	if err != nil {
		return err
	}
	for _, sv := range roles.onHTTP(s) {
		if _, root, ok := acmeRoot(sv); ok && root != "" {
			p.Webroot = root // a challenge location already there (certbot's snippet) keeps its files' place
			break
		}
	}

	edits := map[string][]splice{} // by the path nginx knows
	var newFile, newSite string
	switch {
	case roles.site != nil:
		takeoverFindings(p, d, roles.site, s)
		if err := editSite(p, d, s, roles, edits); err != nil {
			return err
		}
	default:
		if s.Upstream == nil && len(roles.plain) > 0 {
			return fieldErr(provision.FlagUpstream, i18n.Errorf("required: the server block at %s only redirects %s to https and no block serves the site itself, so give the app (e.g. unix:/srv/app/app.sock or 127.0.0.1:8000)", where(d.Config, roles.plain[0]), s.Primary()))
		}
		if s.Upstream == nil {
			return fieldErr(provision.FlagUpstream, i18n.Errorf("required: no server block serves %s yet to take it from (e.g. unix:/srv/app/app.sock or 127.0.0.1:8000)", s.Primary()))
		}
		params := newSiteParams(d, s, p, len(roles.plain) == 0)
		if newSite, err = RenderSite(params); err != nil {
			return err
		}
		if len(roles.plain) > 0 {
			// Blocks that only redirect stay and get the challenge; the new
			// TLS site goes right after the first.
			for _, pl := range roles.plain {
				sp, err := port80Edits(d.Config, pl, s, p.Webroot)
				if err != nil {
					return err
				}
				edits[pl.File] = append(edits[pl.File], sp...)
			}
			first := roles.plain[0]
			text := "\n\n" + strings.TrimRight(newSite, "\n")
			if names := uncovered(s, roles.plain); len(names) > 0 {
				text += "\n\n" + redirectServer([]string{fmt.Sprintf("listen %d;", s.HTTPPort)}, names, s, p.Webroot, "    ")
			}
			edits[first.File] = append(edits[first.File], splice{first.End, first.End, text})
			p.SiteFile = first.File
			newSite = ""
		} else if newFile, err = newSitePath(d.Config, s.Primary()); err != nil {
			return err
		}
	}
	for _, dir := range d.Config.HTTP {
		if fix, ok := protocolsFix(dir); ok && !overlaps(edits[dir.File], fix) {
			edits[dir.File] = append(edits[dir.File], fix)
		}
	}

	sim := append([]nginxconf.File(nil), d.Config.Files...)
	siteFiles := map[string]bool{}
	for path, sp := range edits {
		old, _ := d.Config.FileContent(path)
		content, err := applySplices(old, sp)
		if err != nil {
			return err
		}
		sim = setFile(sim, path, content)
		if bytes.Equal(content, old) {
			continue // a rerun with the same answers writes nothing
		}
		fc, err := changeFor(path, content, old, "")
		if err != nil {
			return err
		}
		p.Files = append(p.Files, fc)
	}
	if newFile != "" {
		fcs, err := newSiteChanges(newFile, []byte(newSite))
		if err != nil {
			return err
		}
		p.Files = append(p.Files, fcs...)
		sim = append(sim, nginxconf.File{Path: newFile, Content: []byte(newSite)})
		p.SiteFile = newFile
	}
	for _, sv := range roles.all() {
		siteFiles[sv.File] = true
	}
	siteFiles[p.SiteFile] = true
	sortChanges(p.Files)
	for i := range p.Files {
		switch {
		case siteFiles[p.Files[i].Shown] || p.Files[i].Shown == newFile:
			p.Files[i].Why = i18n.T("the HTTPS site for %s", strings.Join(s.Domains, ", "))
			p.Files[i].Role = provision.RoleSite
		default:
			p.Files[i].Why = i18n.T("global TLS protocols: TLSv1 and TLSv1.1 removed")
			p.Files[i].Role = provision.RoleServerTLS
		}
	}
	p.BodySize = bodySize(p)

	if err := checkOneServerPerName(sim, s); err != nil {
		return err
	}

	return nil
}

// roles are the blocks that serve the names now: site is the one that
// serves (or will serve) HTTPS, extra are further TLS blocks for some of
// the names that only redirect (www to the bare name, say), plain are
// blocks on the HTTP port only.
type roles struct {
	site  *nginxconf.Server
	extra []*nginxconf.Server
	plain []*nginxconf.Server
}

func (r roles) all() []*nginxconf.Server {
	var out []*nginxconf.Server
	if r.site != nil {
		out = append(out, r.site)
	}
	return append(append(out, r.extra...), r.plain...)
}

// onHTTP are the blocks answering on the HTTP port now.
func (r roles) onHTTP(s *Settings) []*nginxconf.Server {
	var out []*nginxconf.Server
	for _, sv := range append(append([]*nginxconf.Server(nil), r.plain...), r.all()...) {
		if listensOn(sv, s.HTTPPort) && !slices.Contains(out, sv) {
			out = append(out, sv)
		}
	}
	return out
}

// uncovered are the names none of blocks answers on the HTTP port.
func uncovered(s *Settings, blocks []*nginxconf.Server) []string {
	var out []string
	for _, n := range s.Domains {
		if !slices.ContainsFunc(blocks, func(sv *nginxconf.Server) bool { return listensOn(sv, s.HTTPPort) && hasName(sv, n) }) {
			out = append(out, n)
		}
	}
	return out
}

// siteRoles sorts the owned blocks. Two blocks answering a name on the
// same port is refused here, before any CA is contacted: nginx would use
// only the first, so the challenge or the site could land in the other.
func siteRoles(cfg *nginxconf.Config, owned []*nginxconf.Server, s *Settings) (roles, error) {
	var r roles
	for _, port := range []int{s.HTTPSPort, s.HTTPPort} {
		for _, name := range s.Domains {
			var on []*nginxconf.Server
			for _, sv := range owned {
				if listensOn(sv, port) && hasName(sv, name) {
					on = append(on, sv)
				}
			}
			if len(on) > 1 {
				return r, i18n.Errorf("%s on port %d is answered by two server blocks, at %s and %s; nginx uses only the first. Merge them or delete one so that one block serves it", name, port, where(cfg, on[0]), where(cfg, on[1]))
			}
		}
	}
	var tls, content []*nginxconf.Server
	for _, sv := range owned {
		switch {
		case listensOn(sv, s.HTTPSPort):
			tls = append(tls, sv)
			if !onlyRedirects(cfg, sv) {
				content = append(content, sv)
			}
		case listensOn(sv, s.HTTPPort):
			r.plain = append(r.plain, sv)
		}
	}
	split := func() error {
		var list []string
		for _, sv := range owned {
			list = append(list, where(cfg, sv))
		}
		return i18n.Errorf("the names %s are served by separate sites, at %s; give each block its own names, or run httpsify once per site", strings.Join(s.Domains, " "), strings.Join(list, ", "))
	}
	switch {
	case len(tls) == 1:
		r.site = tls[0]
	case len(tls) > 1 && len(content) == 1:
		r.site = content[0]
		for _, sv := range tls {
			if sv != r.site {
				r.extra = append(r.extra, sv)
			}
		}
	case len(tls) > 1:
		return r, split()
	}
	var contentPlain []*nginxconf.Server
	for _, sv := range r.plain {
		if !sv.Managed && !onlyRedirects(cfg, sv) {
			contentPlain = append(contentPlain, sv)
		}
	}
	switch {
	case r.site == nil && len(contentPlain) == 1:
		// The plain-HTTP site itself becomes HTTPS.
		r.site = contentPlain[0]
		r.plain = slices.DeleteFunc(r.plain, func(sv *nginxconf.Server) bool { return sv == r.site })
	case len(contentPlain) > 1:
		return r, split()
	}
	return r, nil
}

// editSite plans the in-place edit of the site block, of the TLS blocks
// that only redirect, and of the port-80 side.
func editSite(p *Plan, d *Detection, s *Settings, r roles, edits map[string][]splice) error {
	cfg, sv := d.Config, r.site
	p.SiteFile = sv.File
	res, err := tlsSiteEdits(d, sv, s, false)
	if err != nil {
		return err
	}
	nameEdits, err := serverNameEdits(cfg, sv, s, r.extra)
	if err != nil {
		return err
	}
	res.splices = append(res.splices, nameEdits...) // a wildcard beside the apex, say
	up, pass, err := upstreamEdit(cfg, sv, s)
	if err != nil {
		return err
	}
	p.Upstream = pass
	if v, ok := validate.ParseProxyPass(pass); ok {
		p.App = &v
	}
	p.Warnings = append(p.Warnings, res.warnings...)
	edits[sv.File] = append(edits[sv.File], res.splices...)
	edits[sv.File] = append(edits[sv.File], up...)
	var stay []*nginxconf.Server // blocks that keep answering on port 80
	for _, x := range r.extra {
		xr, err := tlsSiteEdits(d, x, s, true)
		if err != nil {
			return err
		}
		p.Warnings = append(p.Warnings, xr.warnings...)
		edits[x.File] = append(edits[x.File], xr.splices...)
		if listensOn(x, s.HTTPPort) {
			sp, err := challengeEdits(cfg, x, p.Webroot)
			if err != nil {
				return err
			}
			edits[x.File] = append(edits[x.File], sp...)
			stay = append(stay, x)
		}
	}
	var managed *nginxconf.Server
	for _, pl := range r.plain {
		if pl.Managed {
			managed = pl
			continue
		}
		edit := port80Edits
		if !onlyRedirects(cfg, pl) {
			// It served the site in plain http beside the TLS block: it
			// now redirects, like every site httpsify sets up.
			edit = toHTTPSPort80Edits
		}
		sp, err := edit(cfg, pl, s, p.Webroot)
		if err != nil {
			return err
		}
		edits[pl.File] = append(edits[pl.File], sp...)
		stay = append(stay, pl)
	}
	names := uncovered(s, stay)
	content, _ := cfg.FileContent(sv.File)
	ind := blockIndent(content, sv.Block)
	switch {
	case managed != nil:
		// httpsify's own port-80 server, written again from its listens.
		mc, _ := cfg.FileContent(managed.File)
		text := redirectServer(ownListens(cfg, managed), names, s, p.Webroot, blockIndent(mc, managed.Block))
		edits[managed.File] = append(edits[managed.File], splice{managed.Start, managed.End, text})
	case len(names) == 0:
	case len(res.moved) > 0:
		edits[sv.File] = append(edits[sv.File], splice{sv.End, sv.End, "\n\n" + redirectServer(res.moved, names, s, p.Webroot, ind)})
	default:
		// Nothing took port 80 from the site: httpsify's server listens
		// on the addresses the TLS site does.
		var listens []string
		for _, l := range sv.Listens {
			line := "listen " + listenAddress(l, s.HTTPPort) + ";"
			if l.Port == s.HTTPSPort && !slices.Contains(listens, line) {
				listens = append(listens, line)
			}
		}
		edits[sv.File] = append(edits[sv.File], splice{sv.End, sv.End, "\n\n" + redirectServer(listens, names, s, p.Webroot, ind)})
	}
	return nil
}

// newSiteParams renders a brand-new site (no block serves the names yet).
func newSiteParams(d *Detection, s *Settings, p *Plan, withHTTP bool) SiteParams {
	sp := SiteParams{
		Primary:        s.Primary(),
		Domains:        s.Domains,
		HTTP2Directive: s.HTTP2 && d.Version.HTTP2Directive(),
		CertFile:       filepath.Join(s.CertDir, "fullchain.pem"),
		KeyFile:        filepath.Join(s.CertDir, "privkey.pem"),
		TLS:            provision.Profiles[s.TLSProfile],
		HSTS:           s.HSTS,
		BodySize:       s.BodySize,
		Webroot:        p.Webroot,
		RedirectTarget: redirectTarget(s.HTTPSPort),
		UpgradeVar:     upgradeVar(s.Primary()),
		ProxyPass:      s.Upstream.NginxProxyPass(),
		NoHTTPServer:   !withHTTP,
	}
	p.Upstream, p.App = sp.ProxyPass, s.Upstream
	addrs := []string{""}
	if d.IPv6 {
		addrs = append(addrs, "[::]")
	}
	for _, a := range addrs {
		h := []string{"ssl"}
		if s.HTTP2 && !sp.HTTP2Directive {
			h = append(h, "http2")
		}
		sp.HTTPSListens = append(sp.HTTPSListens, listenArg(a, s.HTTPSPort, h...))
		sp.HTTPListens = append(sp.HTTPListens, listenArg(a, s.HTTPPort))
	}
	return sp
}

// opaqueFiles refuses when a file httpsify cannot read (Lua blocks, say)
// mentions one of the names: it may hold part of that site. Other such
// files are left alone, with a warning each.
func opaqueFiles(cfg *nginxconf.Config, s *Settings) ([]string, error) {
	var warnings []string
	for _, o := range cfg.Opaque {
		content, _ := cfg.FileContent(o.Path)
		text := strings.ToLower(string(content))
		for _, name := range s.Domains {
			for _, form := range nameForms(name) {
				if strings.Contains(text, form) {
					return nil, i18n.Errorf("%s is not plain nginx syntax to httpsify (%v) and mentions %s, so it may be part of that site; httpsify will not change a site it cannot fully read (move the site's server block to a file of its own)", o.Path, o.Err, form)
				}
			}
		}
		warnings = append(warnings, i18n.T("%s is not plain nginx syntax to httpsify; it does not mention the site and is left alone", o.Path))
	}
	return warnings, nil
}

// nameForms are the ways a config can name host: itself, and the
// wildcard forms (*.example.test, .example.test) of each parent.
func nameForms(host string) []string {
	forms := []string{host}
	labels := strings.Split(host, ".")
	for i := 1; i < len(labels)-1; i++ {
		forms = append(forms, "."+strings.Join(labels[i:], "."))
	}
	return forms
}

// ownedServers are the blocks that answer one of our names exactly on the
// HTTP or HTTPS port: the plan edits them, so each must be readable and
// must not serve names we were not asked about.
func ownedServers(cfg *nginxconf.Config, s *Settings) ([]*nginxconf.Server, error) {
	seen := map[*nginxconf.Server]bool{}
	var out []*nginxconf.Server
	for _, name := range s.Domains {
		for _, port := range []int{s.HTTPPort, s.HTTPSPort} {
			for _, sv := range cfg.ServersFor(name, port) {
				if seen[sv] || !hasName(sv, name) {
					continue
				}
				seen[sv] = true
				out = append(out, sv)
			}
		}
	}
	// Keep nginx's order so the first block stays where the site was.
	order := map[*nginxconf.Server]int{}
	for i, sv := range cfg.Servers {
		order[sv] = i
	}
	sortServers(out, order)
	for _, sv := range out {
		where := fmt.Sprintf("%s:%d", sv.File, lineOf(cfg, sv))
		if len(sv.Problems) > 0 {
			return nil, i18n.Errorf("the server block at %s: %s; httpsify will not edit a block it cannot fully read (move what that include holds into the block, or the site to a file of its own)", where, termtext.Line(strings.Join(sv.Problems, ", ")))
		}
		var extra []string
		for _, n := range sv.Names {
			if !slices.Contains(s.Domains, n) {
				extra = append(extra, n)
			}
		}
		if len(extra) > 0 {
			return nil, fieldErr(provision.FlagDomain, i18n.Errorf("the server block at %s also answers %s: add each with --domain (they go on the same certificate) or move them to their own block first", where, termtext.Line(strings.Join(extra, ", ")))) // server_name values, as the config has them
		}
	}
	return out, nil
}

func isAcme(loc nginxconf.Location) bool {
	for _, a := range loc.Args {
		if strings.HasPrefix(a, acmePath) || strings.HasPrefix(a, "/.well-known/acme-challenge") {
			return true
		}
	}
	return false
}

// protocolsFix rewrites an http-level ssl_protocols that still enables
// TLSv1/TLSv1.1 (Debian's default line): before nginx 1.29.2 a server
// that is not the default of its socket cannot override it.
func protocolsFix(d *nginxconf.Directive) (splice, bool) {
	if d.Name != "ssl_protocols" {
		return splice{}, false
	}
	var keep []string
	old := false
	for _, a := range d.Args {
		if a == "TLSv1" || a == "TLSv1.1" || a == "SSLv3" || a == "SSLv2" {
			old = true
			continue
		}
		keep = append(keep, a)
	}
	if !old {
		return splice{}, false
	}
	if !slices.Contains(keep, "TLSv1.3") {
		keep = append(keep, "TLSv1.3")
	}
	if !slices.Contains(keep, "TLSv1.2") {
		keep = append([]string{"TLSv1.2"}, keep...)
	}
	return splice{d.Start, d.End, "ssl_protocols " + strings.Join(keep, " ") + "; # httpsify: was " + strings.Join(d.Args, " ")}, true
}

// newSitePath picks a file for a brand-new site that the http block's
// include globs pick up: sites-enabled first (Debian), then conf.d style.
func newSitePath(cfg *nginxconf.Config, primary string) (string, error) {
	var candidates []string
	for _, inc := range cfg.Includes {
		dir, pattern := filepath.Split(inc.Abs)
		if strings.ContainsAny(dir, "*?[") {
			continue
		}
		for _, name := range []string{primary + ".conf", primary} {
			if ok, _ := filepath.Match(pattern, name); ok {
				candidates = append(candidates, filepath.Join(dir, name))
				break
			}
		}
	}
	for _, c := range candidates {
		if filepath.Base(filepath.Dir(c)) == "sites-enabled" {
			return c, nil
		}
	}
	if len(candidates) > 0 {
		return candidates[0], nil
	}
	return "", i18n.Errorf("the nginx http block includes no directory of site files (like `include /etc/nginx/conf.d/*.conf;`), so httpsify has nowhere to put a new site")
}

// newSiteChanges writes a new site; in a Debian sites-enabled directory the
// file goes to sites-available with a link, as a2ensite-style tools expect.
func newSiteChanges(shown string, content []byte) ([]FileChange, error) {
	dir := filepath.Dir(shown)
	if filepath.Base(dir) == "sites-enabled" {
		avail := filepath.Join(filepath.Dir(dir), "sites-available", filepath.Base(shown))
		if st, err := os.Stat(filepath.Dir(avail)); err == nil && st.IsDir() {
			file, err := changeFor(avail, content, nil, "")
			if err != nil {
				return nil, err
			}
			return []FileChange{file, {Change: txn.Change{Path: shown, Symlink: avail}, Shown: shown}}, nil
		}
	}
	fc, err := changeFor(shown, content, nil, "")
	return []FileChange{fc}, err
}

// changeFor builds the change for a file nginx knows by path, writing
// through a symlink to the real file so sites-enabled links stay links.
func changeFor(shown string, content, old []byte, why string) (FileChange, error) {
	real := shown
	if r, err := filepath.EvalSymlinks(shown); err == nil {
		real = r
	}
	mode := os.FileMode(0o644)
	existed := false
	if st, err := os.Stat(real); err == nil {
		mode, existed = st.Mode().Perm(), true
	}
	return FileChange{
		Change:  txn.Change{Path: real, Content: content, Mode: mode},
		Shown:   shown,
		Old:     old,
		Existed: existed,
		Why:     why,
	}, nil
}

// checkOneServerPerName re-reads the planned configuration and insists
// that exactly one block answers each name on each port afterwards.
func checkOneServerPerName(files []nginxconf.File, s *Settings) error {
	cfg, err := nginxconf.Analyze(files)
	if err != nil {
		return fmt.Errorf("internal error: the planned configuration does not parse: %w", err)
	}
	for _, name := range s.Domains {
		for _, port := range []int{s.HTTPPort, s.HTTPSPort} {
			n := 0
			for _, sv := range cfg.ServersFor(name, port) {
				if hasName(sv, name) {
					n++
				}
			}
			if n != 1 {
				return fmt.Errorf("internal error: after the change %d server blocks would answer %s on port %d", n, name, port)
			}
		}
	}
	return nil
}

func setFile(files []nginxconf.File, path string, content []byte) []nginxconf.File {
	for i := range files {
		if files[i].Path == path {
			files[i].Content = content
			return files
		}
	}
	return append(files, nginxconf.File{Path: path, Content: content})
}

func listensOn(sv *nginxconf.Server, port int) bool {
	for _, l := range sv.Listens {
		if l.Port == port {
			return true
		}
	}
	return false
}

func hasName(sv *nginxconf.Server, name string) bool { return slices.Contains(sv.Names, name) }

func lineOf(cfg *nginxconf.Config, sv *nginxconf.Server) int {
	c, _ := cfg.FileContent(sv.File)
	if sv.Start > len(c) {
		return 0
	}
	return bytes.Count(c[:sv.Start], []byte("\n")) + 1
}

// bodySize is the client_max_body_size the site's file ends up with, or
// nginx's default.
func bodySize(p *Plan) string {
	for _, c := range p.Files {
		if c.Role != provision.RoleSite && c.Path != p.SiteFile && c.Shown != p.SiteFile {
			continue
		}
		for _, l := range strings.Split(string(c.Content), "\n") {
			if f := strings.Fields(strings.TrimSuffix(strings.TrimSpace(l), ";")); len(f) == 2 && f[0] == "client_max_body_size" {
				return f[1]
			}
		}
	}
	return "1m"
}
