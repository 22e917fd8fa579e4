package provision

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/nginxconf"
	"github.com/httpsify/httpsify/provision/txn"
	"github.com/httpsify/httpsify/provision/validate"
)

// FileChange is one file a plan writes, removes or links, with what is
// there now so a preview can show a diff.
type FileChange struct {
	txn.Change
	Shown   string // the path nginx knows it by (a sites-enabled link, say)
	Old     []byte // current content; nil when the file does not exist
	Existed bool
	Why     string
}

// Plan is everything a run will do. The same value drives --dry-run,
// apply and the wizard's preview.
type Plan struct {
	Settings  *Settings
	Detection *Detection

	// Issue is false when the installed certificate already covers the
	// names and is far from expiry: reruns never hammer the CA.
	Issue bool
	// Standalone: nothing listens on the HTTP port, so lego's own server
	// answers the challenge there.
	Standalone bool
	Webroot    string
	// Prepare makes the port-80 server answer ACME challenges before the
	// CA is asked; empty when it already does or Standalone.
	Prepare []FileChange
	// Files are the final changes: the site and any global TLS fix.
	Files []FileChange
	// SiteFile is where the HTTPS site is written.
	SiteFile string
	// ArchiveDir holds certificate versions; CertDir links to the current.
	ArchiveDir string
	Upstream   string // the proxy_pass written, for display
	Warnings   []string

	app *validate.Upstream // what Upstream was rendered from, nil when carried verbatim
}

// Commands lists what the run executes, for the preview.
func (p *Plan) Commands() [][]string {
	n := p.Detection.Nginx
	return [][]string{
		{n.Bin, "-t", "-c", n.Conf},
		n.ReloadCommand(p.Detection.Running),
	}
}

const acmePath = "/.well-known/acme-challenge/"

// BuildPlan decides every change from the detection and settings. It is
// pure: it reads nothing but the certificate already installed and writes
// nothing, so the wizard can rebuild it on every toggle.
//
// An existing site is edited in place (see site_edits.go): only what HTTPS
// needs is added, only what it supersedes is removed.
func BuildPlan(d *Detection, s *Settings) (*Plan, error) {
	p := &Plan{
		Settings:   s,
		Detection:  d,
		Webroot:    filepath.Join(s.StateDir, "acme-challenge"),
		ArchiveDir: filepath.Join(s.StateDir, "archive", s.Primary()),
	}
	if _, err := certstore.Current(s.CertDir); err != nil {
		return nil, fieldErr("--cert-dir", err)
	}
	p.Issue = needsCertificate(s)

	opaque, err := opaqueFiles(d.Config, s)
	if err != nil {
		return nil, err
	}
	p.Warnings = append(p.Warnings, opaque...)
	owned, err := ownedServers(d.Config, s)
	if err != nil {
		return nil, err
	}
	roles, err := siteRoles(d.Config, owned, s)
	if err != nil {
		return nil, err
	}
	for _, sv := range []*nginxconf.Server{roles.plain, roles.site} {
		if sv == nil {
			continue
		}
		if _, root, ok := acmeRoot(sv); ok && root != "" {
			p.Webroot = root // a challenge location already there (certbot's snippet) keeps its files' place
			break
		}
	}

	edits := map[string][]splice{} // by the path nginx knows
	var newFile, newSite string
	switch {
	case roles.site != nil:
		if err := editSite(p, d, s, roles, edits); err != nil {
			return nil, err
		}
	default:
		if s.Upstream == nil {
			return nil, fieldErr("--upstream", fmt.Errorf("required: no server block serves %s yet to take it from (e.g. unix:/srv/app/app.sock or 127.0.0.1:8000)", s.Primary()))
		}
		params := newSiteParams(d, s, p, roles.plain == nil)
		if newSite, err = RenderSite(params); err != nil {
			return nil, err
		}
		if roles.plain != nil {
			// A block that only redirects stays and gets the challenge; the
			// new TLS site goes right after it.
			sp, err := port80Edits(d.Config, roles.plain, s, p.Webroot)
			if err != nil {
				return nil, err
			}
			sp = append(sp, splice{roles.plain.End, roles.plain.End, "\n\n" + strings.TrimRight(newSite, "\n")})
			edits[roles.plain.File] = append(edits[roles.plain.File], sp...)
			p.SiteFile = roles.plain.File
			newSite = ""
		} else if newFile, err = newSitePath(d.Config, s.Primary()); err != nil {
			return nil, err
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
			return nil, err
		}
		sim = setFile(sim, path, content)
		if bytes.Equal(content, old) {
			continue // a rerun with the same answers writes nothing
		}
		fc, err := changeFor(path, content, old, "")
		if err != nil {
			return nil, err
		}
		p.Files = append(p.Files, fc)
	}
	if newFile != "" {
		fcs, err := newSiteChanges(newFile, []byte(newSite))
		if err != nil {
			return nil, err
		}
		p.Files = append(p.Files, fcs...)
		sim = append(sim, nginxconf.File{Path: newFile, Content: []byte(newSite)})
		p.SiteFile = newFile
	}
	for _, sv := range []*nginxconf.Server{roles.site, roles.plain} {
		if sv != nil {
			siteFiles[sv.File] = true
		}
	}
	siteFiles[p.SiteFile] = true
	sortChanges(p.Files)
	for i := range p.Files {
		switch {
		case siteFiles[p.Files[i].Shown] || p.Files[i].Shown == newFile:
			p.Files[i].Why = "the HTTPS site for " + strings.Join(s.Domains, ", ")
		default:
			p.Files[i].Why = "global TLS protocols: TLSv1 and TLSv1.1 removed"
		}
	}

	if err := checkOneServerPerName(sim, s); err != nil {
		return nil, err
	}

	if p.Issue {
		if err := planPrepare(p, d, s, roles, newFile); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// roles are the blocks that serve the names now: site is the one that
// serves (or will serve) HTTPS, plain a separate block on the HTTP port.
type roles struct {
	site, plain *nginxconf.Server
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
				return r, fmt.Errorf("%s on port %d is answered by two server blocks, at %s and %s; nginx uses only the first. Merge them or delete one so that one block serves it", name, port, where(cfg, on[0]), where(cfg, on[1]))
			}
		}
	}
	var tls, plain []*nginxconf.Server
	for _, sv := range owned {
		switch {
		case listensOn(sv, s.HTTPSPort):
			tls = append(tls, sv)
		case listensOn(sv, s.HTTPPort):
			plain = append(plain, sv)
		}
	}
	if len(tls) > 1 || len(plain) > 1 {
		var list []string
		for _, sv := range owned {
			list = append(list, where(cfg, sv))
		}
		return r, fmt.Errorf("the names %s are split over the server blocks at %s; give each block its own names, or run httpsify once per block", strings.Join(s.Domains, " "), strings.Join(list, ", "))
	}
	if len(tls) == 1 {
		r.site = tls[0]
	}
	if len(plain) == 1 {
		r.plain = plain[0]
	}
	if r.site == nil && r.plain != nil && !r.plain.Managed && !redirectBlock(r.plain) {
		r.site, r.plain = r.plain, nil // the plain-HTTP site itself becomes HTTPS
	}
	return r, nil
}

// editSite plans the in-place edit of the site block and the port-80 side.
func editSite(p *Plan, d *Detection, s *Settings, r roles, edits map[string][]splice) error {
	cfg, sv := d.Config, r.site
	res, err := tlsSiteEdits(d, sv, s)
	if err != nil {
		return err
	}
	up, pass, err := upstreamEdit(cfg, sv, s)
	if err != nil {
		return err
	}
	p.Upstream = pass
	if v, ok := carriedUpstream(pass); ok {
		p.app = &v
	}
	p.Warnings = append(p.Warnings, res.warnings...)
	edits[sv.File] = append(edits[sv.File], res.splices...)
	edits[sv.File] = append(edits[sv.File], up...)
	content, _ := cfg.FileContent(sv.File)
	ind := blockIndent(content, sv.Block)
	switch {
	case r.plain != nil && r.plain.Managed:
		// httpsify's own port-80 server, written again from its listens.
		pc, _ := cfg.FileContent(r.plain.File)
		text := redirectServer(ownListens(cfg, r.plain), s, p.Webroot, blockIndent(pc, r.plain.Block))
		edits[r.plain.File] = append(edits[r.plain.File], splice{r.plain.Start, r.plain.End, text})
	case r.plain != nil:
		sp, err := port80Edits(cfg, r.plain, s, p.Webroot)
		if err != nil {
			return err
		}
		edits[r.plain.File] = append(edits[r.plain.File], sp...)
		if !redirectBlock(r.plain) {
			p.Warnings = append(p.Warnings, fmt.Sprintf("the server block at %s still serves the site over plain http on port %d; to send visitors to https, replace its content with `return 301 https://$host$request_uri;`", where(cfg, r.plain), s.HTTPPort))
		}
	case len(res.moved) > 0:
		edits[sv.File] = append(edits[sv.File], splice{sv.End, sv.End, "\n\n" + redirectServer(res.moved, s, p.Webroot, ind)})
	default:
		// A TLS-only site: httpsify's port-80 server listens where it does.
		var listens []string
		seen := map[string]bool{}
		for _, l := range sv.Listens {
			if l.Port != s.HTTPSPort {
				continue
			}
			line := "listen " + listenAddress(l, s.HTTPPort) + ";"
			if !seen[line] {
				seen[line] = true
				listens = append(listens, line)
			}
		}
		edits[sv.File] = append(edits[sv.File], splice{sv.End, sv.End, "\n\n" + redirectServer(listens, s, p.Webroot, ind)})
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
		TLS:            Profiles[s.TLSProfile],
		HSTS:           s.HSTS,
		BodySize:       s.BodySize,
		Webroot:        p.Webroot,
		RedirectTarget: redirectTarget(s.HTTPSPort),
		UpgradeVar:     upgradeVar(s.Primary()),
		ProxyPass:      s.Upstream.NginxProxyPass(),
		NoHTTPServer:   !withHTTP,
	}
	p.Upstream, p.app = sp.ProxyPass, s.Upstream
	addrs := []string{""}
	if ipv6Available() {
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
					return nil, fmt.Errorf("%s is not plain nginx syntax to httpsify (%v) and mentions %s, so it may be part of that site; httpsify will not change a site it cannot fully read (move the site's server block to a file of its own)", o.Path, o.Err, form)
				}
			}
		}
		warnings = append(warnings, fmt.Sprintf("%s is not plain nginx syntax to httpsify; it does not mention the site and is left alone", o.Path))
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
			return nil, fmt.Errorf("the server block at %s: %s; httpsify will not edit a block it cannot fully read (move what that include holds into the block, or the site to a file of its own)", where, strings.Join(sv.Problems, ", "))
		}
		var extra []string
		for _, n := range sv.Names {
			if !slices.Contains(s.Domains, n) {
				extra = append(extra, n)
			}
		}
		if len(extra) > 0 {
			return nil, fieldErr("--domain", fmt.Errorf("the server block at %s also answers %s: add each with --domain (they go on the same certificate) or move them to their own block first", where, strings.Join(extra, ", ")))
		}
	}
	return out, nil
}

// carriedUpstream re-validates an old proxy_pass so it can be rendered in
// the new location with explicit headers.
func carriedUpstream(pp string) (validate.Upstream, bool) {
	u := pp
	if strings.HasPrefix(pp, "http://unix:") {
		u = "unix:" + strings.TrimPrefix(pp, "http://unix:")
	}
	v, err := validate.ParseUpstream(u)
	return v, err == nil
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
	return "", errors.New("the nginx http block includes no directory of site files (like `include /etc/nginx/conf.d/*.conf;`), so httpsify has nowhere to put a new site")
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
