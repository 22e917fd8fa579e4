package nginx

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/certbot"
	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/internal/testcert"
)

// certbotSite is a site as certbot's nginx installer leaves it
// (certbot --nginx -d www.example.test): the 443 block with its
// "# managed by Certbot" lines and the port-80 redirect block. LE stands
// for the certbot directory.
const certbotSite = `server {
    server_name www.example.test;

    location / {
        include proxy_params;
        proxy_pass http://unix:/srv/app/app.sock;
    }

    listen 443 ssl; # managed by Certbot
    ssl_certificate LE/live/www.example.test/fullchain.pem; # managed by Certbot
    ssl_certificate_key LE/live/www.example.test/privkey.pem; # managed by Certbot
    include LE/options-ssl-nginx.conf; # managed by Certbot
    ssl_dhparam LE/ssl-dhparams.pem; # managed by Certbot

}
server {
    if ($host = www.example.test) {
        return 301 https://$host$request_uri;
    } # managed by Certbot


    listen 80;
    server_name www.example.test;
    return 404; # managed by Certbot


}
`

// certbotOptions is certbot's options-ssl-nginx.conf (certbot 2.x).
const certbotOptions = `ssl_session_cache shared:le_nginx_SSL:10m;
ssl_session_timeout 1440m;
ssl_session_tickets off;

ssl_protocols TLSv1.2 TLSv1.3;
ssl_prefer_server_ciphers off;

ssl_ciphers "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384";
`

// certbotTree is a certbot config dir beside the nginx tree, holding one
// lineage whose certificate a private root (written to rootFile) issued.
type certbotTree struct {
	dir, rootFile, conf string
	leaf                *x509.Certificate
}

func newCertbotTree(t *testing.T, tr *tree, notBefore, notAfter time.Time) *certbotTree {
	t.Helper()
	ct := &certbotTree{dir: filepath.Join(tr.dir, "letsencrypt"), rootFile: filepath.Join(tr.dir, "root.pem")}
	rootKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rootTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test root"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, NotBefore: time.Now().Add(-200 * 24 * time.Hour), NotAfter: time.Now().Add(3650 * 24 * time.Hour)}
	rootDER, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, &rootKey.PublicKey, rootKey)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := x509.ParseCertificate(rootDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafDER, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: "www.example.test"},
		DNSNames: []string{"www.example.test"}, NotBefore: notBefore, NotAfter: notAfter, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, root, &key.PublicKey, rootKey)
	if err != nil {
		t.Fatal(err)
	}
	ct.leaf, _ = x509.ParseCertificate(leafDER)
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	leafPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER})
	write := func(rel string, data []byte, mode os.FileMode) {
		p := filepath.Join(ct.dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(ct.rootFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: rootDER}), 0o644); err != nil {
		t.Fatal(err)
	}
	name := "www.example.test"
	write("archive/"+name+"/cert1.pem", leafPEM, 0o644)
	write("archive/"+name+"/chain1.pem", nil, 0o644)
	write("archive/"+name+"/fullchain1.pem", leafPEM, 0o644)
	write("archive/"+name+"/privkey1.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600)
	os.MkdirAll(filepath.Join(ct.dir, "live", name), 0o755)
	for _, f := range []string{"cert", "chain", "fullchain", "privkey"} {
		if err := os.Symlink("../../archive/"+name+"/"+f+"1.pem", filepath.Join(ct.dir, "live", name, f+".pem")); err != nil {
			t.Fatal(err)
		}
	}
	ct.conf = filepath.Join(ct.dir, "renewal", name+".conf")
	write("renewal/"+name+".conf", []byte(strings.ReplaceAll(strings.ReplaceAll("version = 2.1.0\narchive_dir = LE/archive/NAME\ncert = LE/live/NAME/cert.pem\nprivkey = LE/live/NAME/privkey.pem\nchain = LE/live/NAME/chain.pem\nfullchain = LE/live/NAME/fullchain.pem\n\n[renewalparams]\nauthenticator = nginx\ninstaller = nginx\nserver = https://acme-v02.api.letsencrypt.org/directory\n",
		"LE", ct.dir), "NAME", name)), 0o644)
	write("options-ssl-nginx.conf", []byte(certbotOptions), 0o644)
	write("ssl-dhparams.pem", []byte("-----BEGIN DH PARAMETERS-----\n-----END DH PARAMETERS-----\n"), 0o644)
	for _, d := range []string{"", "renewal", "live", "archive"} {
		os.Chmod(filepath.Join(ct.dir, d), 0o755)
	}
	tr.files["sites-enabled/app"] = strings.ReplaceAll(certbotSite, "LE", ct.dir)
	tr.files["letsencrypt/options-ssl-nginx.conf"] = certbotOptions
	return ct
}

func (ct *certbotTree) options(o Options) Options {
	o.CertbotDir, o.CARoot = ct.dir, ct.rootFile
	return o
}

// A site certbot set up is adopted: the lineage is recorded, certbot's
// certificate is what is installed (no CA asked), certbot's TLS lines give
// way to httpsify's, and certbot's renewal stays on.
func TestCertbotSiteIsAdopted(t *testing.T) {
	tr := newTree(t, "")
	ct := newCertbotTree(t, tr, time.Now().Add(-time.Hour), time.Now().Add(89*24*time.Hour))
	s := tr.settings(t, ct.options(Options{}))
	p, err := BuildPlan(tr.detection(t), s)
	if err != nil {
		t.Fatal(err)
	}
	if p.Certbot == nil || !p.Certbot.Adopt || p.Issue || p.Upload == nil || p.Challenge != nil {
		t.Fatalf("not adopted: certbot %+v issue %v", p.Certbot, p.Issue)
	}
	if !s.FromCertbot() || s.CertbotLineage != "www.example.test" || s.CertbotDir != ct.dir || s.Uploaded() {
		t.Errorf("request: source %q lineage %q dir %q", s.CertSource, s.CertbotLineage, s.CertbotDir)
	}
	if !p.Upload.Bundle.Leaf.Equal(ct.leaf) {
		t.Errorf("the certificate to install is not certbot's")
	}
	if !p.Certbot.RenewalOn || p.Certbot.HandOver {
		t.Errorf("certbot's renewal: on %v, hand over now %v", p.Certbot.RenewalOn, p.Certbot.HandOver)
	}
	note := p.CertbotNote()
	if !strings.Contains(note, "certbot keeps renewing it until httpsify has renewed it once") || !strings.Contains(note, ct.conf) {
		t.Errorf("note: %s", note)
	}
	if !strings.Contains(p.Describe(false), "certbot: "+note) {
		t.Errorf("the plan does not say it:\n%s", p.Describe(false))
	}
	site := string(fileIn(p, filepath.Join(tr.dir, "sites-enabled/app")).Content)
	for _, gone := range []string{"options-ssl-nginx.conf", "ssl_dhparam", ct.dir + "/live"} {
		if strings.Contains(site, gone) {
			t.Errorf("the planned site still has %q:\n%s", gone, site)
		}
	}
	for _, want := range []string{"ssl_session_cache shared:httpsify:10m;", "ssl_protocols TLSv1.2 TLSv1.3;", "ssl_certificate     " + s.CertDir + "/fullchain.pem;", "proxy_pass http://unix:/srv/app/app.sock;"} {
		if !strings.Contains(site, want) {
			t.Errorf("the planned site lacks %q:\n%s", want, site)
		}
	}
	// Installing certbot's own certificate hands nothing over.
	if ch := handOverChanges(t, s, p, true); len(ch) != 0 {
		t.Errorf("adoption renames certbot's conf: %+v", ch)
	}
	if _, err := os.Stat(ct.conf); err != nil {
		t.Errorf("planning touched certbot's conf: %v", err)
	}
}

// --force-renew issues now; that certificate is httpsify's first, so its
// transaction also renames certbot's renewal conf aside.
func TestCertbotForceRenewHandsOverAtOnce(t *testing.T) {
	tr := newTree(t, "")
	ct := newCertbotTree(t, tr, time.Now().Add(-time.Hour), time.Now().Add(89*24*time.Hour))
	s := tr.settings(t, ct.options(Options{ForceRenew: true}))
	p, err := BuildPlan(tr.detection(t), s)
	if err != nil {
		t.Fatal(err)
	}
	if p.Certbot == nil || p.Certbot.Adopt || !p.Issue || p.Upload != nil || !p.Certbot.HandOver || !s.FromCertbot() {
		t.Fatalf("force-renew: certbot %+v issue %v", p.Certbot, p.Issue)
	}
	if !strings.Contains(p.CertbotNote(), "once it is verified as served, certbot's renewal of it is switched off") {
		t.Errorf("note: %s", p.CertbotNote())
	}
	ch := handOverChanges(t, s, p, true)
	if len(ch) != 2 {
		t.Fatalf("hand-over changes %+v", ch)
	}
	want, _ := os.ReadFile(ct.conf)
	real, _ := filepath.EvalSymlinks(ct.conf)
	var wrote, removed bool
	for _, c := range ch {
		switch {
		case c.Remove && c.Path == real:
			removed = true
		case !c.Remove && c.Path == real+certbot.DisabledSuffix && string(c.Content) == string(want):
			wrote = true
		}
	}
	if !wrote || !removed {
		t.Errorf("hand-over is not the rename of %s: %+v", ct.conf, ch)
	}
}

// A certbot certificate that is due is not kept: a new one is issued now
// and hands over.
func TestCertbotDueCertificateIsReplaced(t *testing.T) {
	tr := newTree(t, "")
	ct := newCertbotTree(t, tr, time.Now().Add(-80*24*time.Hour), time.Now().Add(10*24*time.Hour))
	s := tr.settings(t, ct.options(Options{}))
	p, err := BuildPlan(tr.detection(t), s)
	if err != nil {
		t.Fatal(err)
	}
	if p.Certbot == nil || p.Certbot.Adopt || !p.Issue || !p.Certbot.HandOver {
		t.Fatalf("due: certbot %+v issue %v", p.Certbot, p.Issue)
	}
	if !strings.Contains(strings.Join(p.Warnings, "\n"), "is not kept: it is due for renewal") {
		t.Errorf("warnings %q", p.Warnings)
	}
}

// A certbot directory others can write is not trusted: refused, naming
// --certbot-dir.
func TestCertbotUnsafeDirRefused(t *testing.T) {
	tr := newTree(t, "")
	ct := newCertbotTree(t, tr, time.Now().Add(-time.Hour), time.Now().Add(89*24*time.Hour))
	if err := os.Chmod(ct.dir, 0o777); err != nil {
		t.Fatal(err)
	}
	_, err := BuildPlan(tr.detection(t), tr.settings(t, ct.options(Options{})))
	var fe *provision.FieldError
	if !errors.As(err, &fe) || fe.Field != provision.FlagCertbotDir || !errors.Is(err, certbot.ErrUnsafeDir) {
		t.Fatalf("world-writable certbot dir: %v", err)
	}
}

// Not before: once adopted, a rerun while certbot's certificate is still
// good hands nothing over; the first certificate httpsify issues itself
// (a renewal) does, and only while certbot still renews the lineage.
func TestCertbotRenewalSwitchedOffOnlyByHttpsifysFirstCertificate(t *testing.T) {
	tr := newTree(t, "")
	ct := newCertbotTree(t, tr, time.Now().Add(-time.Hour), time.Now().Add(89*24*time.Hour))
	s := tr.settings(t, ct.options(Options{}))
	d := tr.detection(t)
	p, err := BuildPlan(d, s)
	if err != nil {
		t.Fatal(err)
	}
	// Deployed: the install location links certbot's certificate, the
	// site names it, and the request is stored.
	b := p.Upload.Bundle
	vdir, err := certstore.Stage(p.ArchiveDir, certstore.Bundle{Cert: b.Cert, Chain: b.Chain, Fullchain: b.Fullchain, Key: b.Key})
	if err != nil {
		t.Fatal(err)
	}
	link, err := certstore.LiveChange(s.CertDir, vdir)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(s.CertDir), 0o755)
	if err := os.Symlink(link.Symlink, s.CertDir); err != nil {
		t.Fatal(err)
	}
	if err := provision.SaveRequest(s.Layout(), &s.Request); err != nil {
		t.Fatal(err)
	}
	tr.files["sites-enabled/app"] = string(fileIn(p, filepath.Join(tr.dir, "sites-enabled/app")).Content)

	// A rerun without --certbot-dir: the lineage comes from the request.
	again := tr.settings(t, Options{CARoot: ct.rootFile})
	p2, err := BuildPlan(tr.detection(t), again)
	if err != nil {
		t.Fatal(err)
	}
	if p2.Issue || p2.Certbot == nil || p2.Certbot.Adopt || !p2.Certbot.RenewalOn || p2.Certbot.HandOver || !again.FromCertbot() || again.CertbotDir != ct.dir {
		t.Fatalf("rerun: certbot %+v issue %v source %q", p2.Certbot, p2.Issue, again.CertSource)
	}
	if ch := handOverChanges(t, again, p2, false); len(ch) != 0 {
		t.Errorf("a rerun that keeps certbot's certificate hands over: %+v", ch)
	}
	// The renewal (what renew loads): httpsify's own certificate.
	renewal, err := provision.LoadRequest(s.Layout(), s.Primary())
	if err != nil || !renewal.FromCertbot() {
		t.Fatalf("stored request: %+v, %v", renewal, err)
	}
	rs := &provision.Settings{Host: again.Host, Request: *renewal}
	if ch := handOverChanges(t, rs, &provision.Plan{Settings: rs, ArchiveDir: p.ArchiveDir}, true); len(ch) != 2 {
		t.Fatalf("the first renewal does not hand over: %+v", ch)
	}
	// A certbot directory others can write is not acted on (the run
	// warns and leaves certbot's renewal on; the next renewal tries again).
	os.Chmod(ct.dir, 0o777)
	iss := &provision.Issued{New: true}
	if ch, err := provision.HandOverChanges(rs, &provision.Plan{Settings: rs}, iss); len(ch) != 0 || !errors.Is(err, certbot.ErrUnsafeDir) {
		t.Errorf("hand-over in a world-writable certbot dir: %+v, %v", ch, err)
	}
	os.Chmod(ct.dir, 0o755)
	// Once certbot's conf is renamed, later renewals have nothing to do.
	dir, err := certbot.Open(ct.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	if err := dir.DisableRenewal("www.example.test"); err != nil {
		t.Fatal(err)
	}
	if ch := handOverChanges(t, rs, &provision.Plan{Settings: rs, ArchiveDir: p.ArchiveDir}, true); len(ch) != 0 {
		t.Errorf("a later renewal hands over again: %+v", ch)
	}
}

// handOverChanges are what a deploy of a certificate that is new (issued
// by httpsify, or p.Upload's) or the installed one adds for certbot.
func handOverChanges(t *testing.T, s *Settings, p *Plan, issuedNew bool) []FileChange {
	t.Helper()
	vdir, err := certstore.Stage(p.ArchiveDir, testcert.Bundle(t, s.Domains[0]))
	if err != nil {
		t.Fatal(err)
	}
	leaf, n, err := certstore.ReadVersion(vdir)
	if err != nil {
		t.Fatal(err)
	}
	all, err := provision.HandOverChanges(s, p, &provision.Issued{New: issuedNew, VersionDir: vdir, Leaf: leaf, ChainLen: n})
	if err != nil {
		t.Fatal(err)
	}
	var out []FileChange
	for _, c := range all {
		if c.Role == provision.RoleCertbotRenewal {
			out = append(out, c)
		}
	}
	return out
}
