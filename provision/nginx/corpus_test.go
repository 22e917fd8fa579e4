package nginx

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/e2e/corpus"
	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/internal/testcert"
	"github.com/httpsify/httpsify/provision/nginxconf"
)

// The main configuration of a corpus tree, shaped like Debian's.
const corpusMain = `pid DIR/nginx.pid;
error_log DIR/error.log;
events {}
http {
	sendfile on;
	tcp_nopush on;
	include mime.types;
	default_type application/octet-stream;
	client_body_temp_path DIR/tmp;
	proxy_temp_path DIR/tmp;
	fastcgi_temp_path DIR/tmp;
	uwsgi_temp_path DIR/tmp;
	scgi_temp_path DIR/tmp;
	ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3; # Dropping SSLv3, ref: POODLE
	ssl_prefer_server_ciphers on;
	access_log DIR/access.log;
	include DIR/conf.d/*.conf;
	include DIR/sites-enabled/*;
}
`

// corpusTree writes one corpus layout as a private nginx configuration.
func corpusTree(t *testing.T, site corpus.Site, httpPort, httpsPort int) (conf string, p corpus.Params) {
	t.Helper()
	dir := t.TempDir()
	p = corpus.Params{
		Domain: "www.example.test", Alias: "example.test", HTTPPort: httpPort, HTTPSPort: httpsPort, AdminPort: 8081,
		AppSocket: filepath.Join(dir, "app.sock"), AppAddr: "127.0.0.1:9", PHPSocket: filepath.Join(dir, "php.sock"),
		Root: filepath.Join(dir, "www"), LogDir: filepath.Join(dir, "logs"),
		OldCert: filepath.Join(dir, "provider.pem"), OldKey: filepath.Join(dir, "provider.key"),
	}
	for _, sub := range []string{"sites-enabled", "conf.d", "tmp", "www", "logs"} {
		os.MkdirAll(filepath.Join(dir, sub), 0o755)
	}
	if err := corpus.WriteSupport(dir, p); err != nil {
		t.Fatal(err)
	}
	old := testcert.Bundle(t, p.Domain)
	text, err := site.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	for path, body := range map[string]string{
		"nginx.conf":     strings.ReplaceAll(corpusMain, "DIR", dir),
		"mime.types":     "types { text/html html; text/css css; }\n",
		p.OldCert:        string(old.Fullchain),
		p.OldKey:         string(old.Key),
		site.Path(dir):   text,
		"www/index.html": "hello\n",
	} {
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "nginx.conf"), p
}

func nginxTest(t *testing.T, conf, when string) {
	t.Helper()
	if out, err := exec.Command("/usr/sbin/nginx", "-t", "-c", conf).CombinedOutput(); err != nil {
		t.Fatalf("%s: nginx -t fails:\n%s", when, out)
	}
}

func corpusPlan(t *testing.T, conf string, site corpus.Site, p corpus.Params) (*Plan, *Detection) {
	t.Helper()
	s, err := Options{
		Domains: site.Domains(p), AgreeTOS: true, CA: "https://127.0.0.1:9/dir",
		NginxConf: conf, NginxBin: "/usr/sbin/nginx", HTTPPort: p.HTTPPort, HTTPSPort: p.HTTPSPort,
		StateDir: filepath.Join(filepath.Dir(conf), "state"),
	}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	d, err := Detect(context.Background(), s, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.Running = true // the challenge is then served by this nginx: plan that edit too
	plan, err := BuildPlan(d, s)
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return plan, d
}

// Every layout of the corpus: the plan parses, the temporary challenge
// edit and the final site both pass the real nginx -t, everything the user
// wrote that HTTPS does not supersede is still there, listen options
// survive, the challenge is reachable on port 80, and a rerun changes
// nothing.
func TestCorpusEditsInPlace(t *testing.T) {
	sites, err := corpus.Sites()
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) < 15 {
		t.Fatalf("corpus has %d layouts", len(sites))
	}
	for _, ports := range [][2]int{{80, 443}, {8080, 8443}} {
		for _, site := range sites {
			t.Run(fmt.Sprintf("%s/%d", site.Name, ports[0]), func(t *testing.T) {
				corpusCase(t, site, ports[0], ports[1])
			})
		}
	}
}

// corpusCase runs one layout on one pair of ports.
func corpusCase(t *testing.T, site corpus.Site, httpPort, httpsPort int) {
	t.Helper()
	conf, params := corpusTree(t, site, httpPort, httpsPort)
	nginxTest(t, conf, "the original")
	p, d := corpusPlan(t, conf, site, params)
	before := d.Config.Files
	s := p.Settings

	// The temporary edit: port 80 must hand out challenge files.
	if len(p.ChallengeEdits()) == 0 {
		t.Fatal("no challenge preparation planned")
	}
	for _, c := range p.ChallengeEdits() {
		apply(t, c.Path, c.Content, c.Symlink, c.Remove)
	}
	nginxTest(t, conf, "during issuance")
	requireChallengeServed(t, filesAfter(t, before, p.ChallengeEdits()), s, p.Webroot)
	for _, c := range p.ChallengeEdits() {
		apply(t, c.Path, c.Old, "", !c.Existed)
	}

	version, err := certstore.Stage(p.ArchiveDir, testcert.Bundle(t, s.Domains[0], s.Domains[1:]...))
	if err != nil {
		t.Fatal(err)
	}
	changes, err := deployChanges(s, p, &Issued{New: true, VersionDir: version})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		apply(t, c.Change.Path, c.Content, c.Symlink, c.Remove)
	}
	nginxTest(t, conf, "after the change")
	after := filesAfter(t, before, p.Files)
	requireKept(t, before, after, s)
	requireListensKept(t, before, after, s)
	requireChallengeServed(t, after, s, p.Webroot)

	p2, _ := corpusPlan(t, conf, site, params)
	for _, f := range p2.Files {
		t.Errorf("a rerun would change %s:\n%s", f.Path, f.Content)
	}
	if len(p2.ChallengeEdits()) != 0 {
		t.Errorf("a rerun with a valid certificate prepares a challenge: %+v", p2.ChallengeEdits())
	}
}

// filesAfter is the configuration with the planned contents swapped in.
func filesAfter(t *testing.T, before []nginxconf.File, changes []FileChange) []nginxconf.File {
	t.Helper()
	out := append([]nginxconf.File(nil), before...)
	for _, c := range changes {
		if c.Symlink != "" || c.Remove {
			continue
		}
		found := false
		for i := range out {
			if out[i].Path == c.Shown || out[i].Path == c.Path {
				out[i].Content, found = c.Content, true
			}
		}
		if !found {
			out = append(out, nginxconf.File{Path: c.Shown, Content: c.Content})
		}
	}
	return out
}

// supersededByHTTPS are the directives an edit may take out: the TLS
// settings the managed region replaces, and `ssl on`.
func supersededByHTTPS(name string) bool {
	return slices.Contains(supersededTLS, name) || name == "ssl" || name == "http2"
}

// directiveKeys flattens a file into "context > name args" keys, counted,
// and reports the lines that hold a superseded directive.
func directiveKeys(t *testing.T, f nginxconf.File, s *Settings) (map[string]int, map[int]bool) {
	t.Helper()
	dirs, err := nginxconf.Parse(f.Path, f.Content)
	if err != nil {
		t.Fatalf("%s does not parse: %v", f.Path, err)
	}
	keys, gone := map[string]int{}, map[int]bool{}
	var walk func(ctx string, ds []*nginxconf.Directive)
	walk = func(ctx string, ds []*nginxconf.Directive) {
		for _, d := range ds {
			key := ctx + " > " + d.Name + " " + strings.Join(d.Args, " ")
			switch {
			case supersededByHTTPS(d.Name):
				gone[d.Line] = true
				continue
			case d.Name == "listen":
				if l, err := nginxconf.ParseListen(d.Args); err == nil && l.Port == s.HTTPSPort {
					gone[d.Line] = true
					continue // gains ssl: checked by requireListensKept
				}
			}
			keys[key]++
			name := d.Name
			if name != "server" {
				name += " " + strings.Join(d.Args, " ")
			}
			walk(ctx+" > "+name, d.Block)
		}
	}
	walk("", dirs)
	return keys, gone
}

// requireKept checks structurally that every directive and comment of the
// original is still in the same file and context, unless HTTPS supersedes it.
func requireKept(t *testing.T, before, after []nginxconf.File, s *Settings) {
	t.Helper()
	for _, b := range before {
		var a nginxconf.File
		for _, x := range after {
			if x.Path == b.Path {
				a = x
			}
		}
		bk, gone := directiveKeys(t, b, s)
		ak, _ := directiveKeys(t, a, s)
		for k, n := range bk {
			if ak[k] < n {
				t.Errorf("%s lost %q (had %d, now %d)", b.Path, k, n, ak[k])
			}
		}
		bc, _ := nginxconf.Comments(b.Path, b.Content)
		ac, _ := nginxconf.Comments(a.Path, a.Content)
		have := map[string]int{}
		for _, c := range ac {
			have[c.Text]++
		}
		for _, c := range bc {
			if gone[c.Line] {
				continue // a comment on a superseded line goes with it
			}
			if have[c.Text] == 0 {
				t.Errorf("%s lost the comment %q", b.Path, c.Text)
			}
			have[c.Text]--
		}
	}
}

// requireListensKept checks that each listen of the site on the HTTP port
// is still there as written (in httpsify's port-80 server) and has a TLS
// twin on the HTTPS port with the same address and options.
func requireListensKept(t *testing.T, before, after []nginxconf.File, s *Settings) {
	t.Helper()
	bc, err := nginxconf.Analyze(before)
	if err != nil {
		t.Fatal(err)
	}
	ac, err := nginxconf.Analyze(after)
	if err != nil {
		t.Fatal(err)
	}
	name := s.Primary()
	tlsServers := ac.ServersFor(name, s.HTTPSPort)
	if len(tlsServers) != 1 {
		t.Fatalf("%d servers answer %s on port %d", len(tlsServers), name, s.HTTPSPort)
	}
	var all strings.Builder
	for _, f := range after {
		all.Write(f.Content)
	}
	for _, sv := range bc.ServersFor(name, s.HTTPPort) {
		if listensOn(sv, s.HTTPSPort) || redirectBlock(sv) {
			continue // its plain listens stay where they are
		}
		for _, e := range sv.All {
			if e.D.Name != "listen" {
				continue
			}
			l, err := nginxconf.ParseListen(e.D.Args)
			if err != nil || l.Port != s.HTTPPort {
				continue
			}
			content, _ := bc.FileContent(e.D.File)
			text := string(content[e.D.Start:e.D.End])
			if !strings.Contains(all.String(), text) {
				t.Errorf("%q is gone", text)
			}
			if !hasTLSTwin(tlsServers[0], l, s.HTTPSPort) {
				t.Errorf("no TLS listen on port %d keeps the address and options of %q: %+v", s.HTTPSPort, text, tlsServers[0].Listens)
			}
		}
	}
	for _, sv := range bc.ServersFor(name, s.HTTPSPort) {
		for _, l := range sv.Listens {
			if l.Port == s.HTTPSPort && !hasTLSTwin(tlsServers[0], l, s.HTTPSPort) {
				t.Errorf("the TLS listen %v lost its options: %+v", l.Raw, tlsServers[0].Listens)
			}
		}
	}
}

func hasTLSTwin(sv *nginxconf.Server, l nginxconf.Listen, port int) bool {
	for _, x := range sv.Listens {
		if x.Port != port || x.Addr != l.Addr || x.IPv6 != l.IPv6 || !x.SSL {
			continue
		}
		ok := true
		for _, o := range l.Raw[1:] {
			if o != "ssl" && o != "http2" && !slices.Contains(x.Raw[1:], o) {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// requireChallengeServed checks that exactly one block answers the name on
// the HTTP port, in plain HTTP, with the webroot at the challenge path and
// nothing at server level that runs before it unguarded.
func requireChallengeServed(t *testing.T, files []nginxconf.File, s *Settings, webroot string) {
	t.Helper()
	cfg, err := nginxconf.Analyze(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range s.Domains {
		requireChallengeFor(t, cfg, name, s, webroot)
	}
}

func requireChallengeFor(t *testing.T, cfg *nginxconf.Config, name string, s *Settings, webroot string) {
	t.Helper()
	on := cfg.ServersFor(name, s.HTTPPort)
	if len(on) != 1 {
		t.Fatalf("%d blocks answer %s on port %d", len(on), name, s.HTTPPort)
	}
	sv := on[0]
	if _, root, ok := acmeRoot(sv); !ok || root != webroot {
		t.Errorf("the port-%d block does not serve %s at %s (root %q)", s.HTTPPort, webroot, acmePath, root)
	}
	if rewritesFirst(sv) && !hasGuard(cfg, sv) {
		t.Error("a server-level return/rewrite/if runs before the challenge location, unguarded")
	}
	for _, e := range sv.All {
		if e.D.Name == "ssl" && strings.Join(e.D.Args, " ") == "on" {
			t.Error("`ssl on` makes port 80 speak TLS")
		}
	}
	for _, l := range sv.Listens {
		if l.Port == s.HTTPPort && l.SSL {
			t.Errorf("listen %v speaks TLS on the HTTP port", l.Raw)
		}
	}
}
