package provision

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/httpsify/httpsify/provision/nginxconf"
	"github.com/httpsify/httpsify/provision/termtext"
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
func BuildPlan(d *Detection, s *Settings) (*Plan, error) {
	p := &Plan{
		Settings:   s,
		Detection:  d,
		Webroot:    s.ChallengeDir,
		ArchiveDir: filepath.Join(s.StateDir, "archive", s.Primary()),
	}
	if err := checkCertDir(s); err != nil {
		return nil, err
	}
	var why string
	if p.Issue, why = needsCertificate(s); why != "" {
		p.Warnings = append(p.Warnings, why)
	}

	opaque, err := opaqueFiles(d.Config, s)
	if err != nil {
		return nil, err
	}
	p.Warnings = append(p.Warnings, opaque...)
	owned, err := ownedServers(d.Config, s)
	if err != nil {
		return nil, err
	}
	src := sourceServer(owned, s)

	params, err := siteParams(d, s, src, p)
	if err != nil {
		return nil, err
	}
	site, err := RenderSite(params)
	if err != nil {
		return nil, err
	}

	edits := map[string][]splice{} // by the path nginx knows
	var newFile string
	if len(owned) == 0 {
		if newFile, err = newSitePath(d.Config, s.Primary()); err != nil {
			return nil, err
		}
	} else {
		edits = siteEdits(d.Config, owned, upgradeVar(s.Primary()), strings.TrimRight(site, "\n"))
	}
	for _, dir := range d.Config.HTTP {
		if fix, ok := protocolsFix(dir); ok && !overlaps(edits[dir.File], fix) {
			edits[dir.File] = append(edits[dir.File], fix)
		}
	}

	sim := append([]nginxconf.File(nil), d.Config.Files...)
	for path, sp := range edits {
		old, _ := d.Config.FileContent(path)
		content, err := applySplices(old, sp)
		if err != nil {
			return nil, err
		}
		setFile(sim, path, content)
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
		fcs, err := newSiteChanges(newFile, []byte(site))
		if err != nil {
			return nil, err
		}
		p.Files = append(p.Files, fcs...)
		sim = append(sim, nginxconf.File{Path: newFile, Content: []byte(site)})
	}
	sortChanges(p.Files)
	for i := range p.Files {
		switch {
		case p.Files[i].Shown == newFile || strings.Contains(string(p.Files[i].Content), "# managed by httpsify"):
			p.Files[i].Why = "the HTTPS site for " + strings.Join(s.Domains, ", ")
		default:
			p.Files[i].Why = "global TLS protocols: TLSv1 and TLSv1.1 removed"
		}
	}
	p.SiteFile = newFile
	if len(owned) > 0 {
		p.SiteFile = owned[0].File
	}

	if err := checkOneServerPerName(sim, s); err != nil {
		return nil, err
	}

	if p.Issue {
		if err := planPrepare(p, d, s, owned, newFile); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// CheckUpstream dials the app and adds a warning when it does not answer.
// It is apart from BuildPlan, which stays free of I/O.
func (p *Plan) CheckUpstream() {
	if p.appAnswers() {
		return
	}
	p.Warnings = append(p.Warnings, fmt.Sprintf("the app at %s does not answer right now: the https site will show 502 until it runs", p.Upstream))
}

// appAnswers reports whether the app accepts connections now, so a dead
// app is not blamed on the new config. A carried location is not probed.
func (p *Plan) appAnswers() bool {
	if p.app == nil {
		return true
	}
	network, addr := "unix", p.app.Socket
	if p.app.Kind != validate.UpstreamUnix {
		port := p.app.Port
		if port == 0 {
			port = map[string]int{"http": 80, "https": 443}[p.app.Scheme]
		}
		network, addr = "tcp", net.JoinHostPort(p.app.Host, strconv.Itoa(port))
	}
	c, err := net.DialTimeout(network, addr, 2*time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
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
// HTTP or HTTPS port: the plan replaces them, so each must be understood
// and must not serve names we were not asked about.
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
			return nil, fmt.Errorf("the server block at %s has %s; httpsify will not rewrite a block it does not fully understand", where, termtext.Line(strings.Join(sv.Problems, ", ")))
		}
		var extra []string
		for _, n := range sv.Names {
			if !slices.Contains(s.Domains, n) {
				extra = append(extra, n)
			}
		}
		if len(extra) > 0 {
			return nil, fieldErr("--domain", fmt.Errorf("the server block at %s also answers %s: add each with --domain (they go on the same certificate) or move them to their own block first", where, termtext.Line(strings.Join(extra, ", ")))) // server_name values, as the config has them
		}
	}
	return out, nil
}

// sourceServer is the block whose settings and locations carry over: our
// own TLS block on a rerun, else the plain-HTTP site, else any.
func sourceServer(owned []*nginxconf.Server, s *Settings) *nginxconf.Server {
	for _, sv := range owned {
		if sv.Managed && listensOn(sv, s.HTTPSPort) {
			return sv
		}
	}
	for _, sv := range owned {
		if !sv.Managed && listensOn(sv, s.HTTPPort) {
			return sv
		}
	}
	if len(owned) > 0 {
		return owned[0]
	}
	return nil
}

// dropped are the server-level directives the template writes itself.
func dropped(d *nginxconf.Directive) bool {
	switch {
	case d.Name == "listen", d.Name == "server_name", d.Name == "http2", d.Name == "location",
		d.Name == "ssl", strings.HasPrefix(d.Name, "ssl_"), d.Name == "client_max_body_size":
		return true
	case d.Name == "add_header" && len(d.Args) > 0 && strings.EqualFold(d.Args[0], "Strict-Transport-Security"):
		return true
	}
	return false
}

func siteParams(d *Detection, s *Settings, src *nginxconf.Server, p *Plan) (SiteParams, error) {
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
	}
	app := s.Upstream
	var addrs []string
	if src != nil {
		content, _ := d.Config.FileContent(src.File)
		for _, dir := range src.Directives {
			if dir.Name == "client_max_body_size" && sp.BodySize == "" && len(dir.Args) == 1 {
				sp.BodySize = dir.Args[0] // keep the user's old upload limit
			}
			if !dropped(dir) {
				sp.Carried = append(sp.Carried, string(content[dir.Start:dir.End]))
			}
		}
		for _, loc := range src.Locations {
			isRoot := len(loc.Args) == 1 && loc.Args[0] == "/"
			switch {
			case isAcme(loc):
				continue
			case isRoot && app == nil && loc.ProxyPass != "":
				if up, ok := carriedUpstream(loc.ProxyPass); ok {
					app = &up
					continue
				}
			case isRoot && app != nil:
				continue // --upstream replaces the old root location
			}
			sp.Locations = append(sp.Locations, loc.Text)
		}
		addrs = listenAddrs(src, s)
	}
	if app != nil {
		sp.ProxyPass = app.NginxProxyPass()
	}
	if sp.ProxyPass == "" && !hasRootLocation(sp.Locations) && src == nil {
		return sp, fieldErr("--upstream", fmt.Errorf("required: no server block for %s exists to take it from (e.g. unix:/srv/app/app.sock or 127.0.0.1:8000)", s.Primary()))
	}
	p.Upstream, p.app = sp.ProxyPass, app
	if len(addrs) == 0 {
		addrs = []string{""}
		if ipv6Available() {
			addrs = append(addrs, "[::]")
		}
	}
	for _, a := range addrs {
		h := []string{"ssl"}
		if s.HTTP2 && !sp.HTTP2Directive {
			h = append(h, "http2")
		}
		sp.HTTPSListens = append(sp.HTTPSListens, listenArg(a, s.HTTPSPort, h...))
		sp.HTTPListens = append(sp.HTTPListens, listenArg(a, s.HTTPPort))
	}
	return sp, nil
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

// listenAddrs are the addresses the old site listened on, so the new one
// listens on the same ones.
func listenAddrs(src *nginxconf.Server, s *Settings) []string {
	var out []string
	for _, l := range src.Listens {
		if l.Port != s.HTTPPort && l.Port != s.HTTPSPort {
			continue
		}
		a := l.Addr
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

func isAcme(loc nginxconf.Location) bool {
	for _, a := range loc.Args {
		if strings.HasPrefix(a, acmePath) || strings.HasPrefix(a, "/.well-known/acme-challenge") {
			return true
		}
	}
	return false
}

func hasRootLocation(locs []string) bool {
	for _, l := range locs {
		f := strings.Fields(l)
		if len(f) >= 2 && f[0] == "location" && f[1] == "/" {
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

func setFile(files []nginxconf.File, path string, content []byte) {
	for i := range files {
		if files[i].Path == path {
			files[i].Content = content
		}
	}
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
