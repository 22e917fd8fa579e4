package certbot

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// liveReadme is what certbot writes into live/NAME/README.
const liveReadme = "This directory contains your keys and certificates.\n\n" +
	"`privkey.pem`  : the private key for your certificate.\n" +
	"`fullchain.pem`: the certificate file used in most server software.\n" +
	"`chain.pem`    : used for OCSP stapling in Nginx >=1.3.7.\n" +
	"`cert.pem`     : will break many server configurations, and should not be used\n" +
	"                 without reading further documentation (see link below).\n\n" +
	"WARNING: DO NOT MOVE OR RENAME THESE FILES!\n" +
	"         Certbot expects these files to remain in this location in order\n" +
	"         to function properly!\n\n" +
	"We recommend not moving these files. For more information, see the Certbot\n" +
	"User Guide at https://certbot.eff.org/docs/using.html#where-are-my-certificates.\n"

// nginxConf is renewal/NAME.conf as certbot 2.x writes it after
// "certbot --nginx -d NAME …". DIR stands for the config dir.
const nginxConf = `# renew_before_expiry = 30 days
version = 2.1.0
archive_dir = DIR/archive/NAME
cert = DIR/live/NAME/cert.pem
privkey = DIR/live/NAME/privkey.pem
chain = DIR/live/NAME/chain.pem
fullchain = DIR/live/NAME/fullchain.pem

# Options used in the renewal process
[renewalparams]
account = 8c4d0b3a2f1e5d6c7b8a9f0e1d2c3b4a
authenticator = nginx
installer = nginx
server = https://acme-v02.api.letsencrypt.org/directory
key_type = ecdsa
`

// webrootConf is the same for "certbot certonly --webroot -w /var/www/html".
const webrootConf = `# renew_before_expiry = 30 days
version = 1.21.0
archive_dir = DIR/archive/NAME
cert = DIR/live/NAME/cert.pem
privkey = DIR/live/NAME/privkey.pem
chain = DIR/live/NAME/chain.pem
fullchain = DIR/live/NAME/fullchain.pem

# Options used in the renewal process
[renewalparams]
account = 0f1e2d3c4b5a69788796a5b4c3d2e1f0
authenticator = webroot
webroot_path = /var/www/html,
server = https://acme-v02.api.letsencrypt.org/directory
key_type = rsa
[[webroot_map]]
api.example.org = /var/www/html
example.org = /var/www/html
`

// tree is a fake certbot config dir laid out as certbot lays it out.
type tree struct {
	t   *testing.T
	dir string
}

func newTree(t *testing.T) *tree {
	t.Helper()
	tr := &tree{t: t, dir: filepath.Join(t.TempDir(), "letsencrypt")}
	for _, d := range []string{"", "accounts", "archive", "live", "renewal", "renewal-hooks/deploy", "renewal-hooks/post", "renewal-hooks/pre", "csr", "keys"} {
		mode := os.FileMode(0o755)
		if d == "archive" || d == "live" || d == "accounts" || d == "keys" {
			mode = 0o700
		}
		tr.mkdir(d, mode)
	}
	tr.file("live/README", strings.ReplaceAll(liveReadme, "`privkey.pem`", "`[cert name]/privkey.pem`"), 0o644)
	return tr
}

func (tr *tree) mkdir(rel string, mode os.FileMode) {
	p := filepath.Join(tr.dir, rel)
	if err := os.MkdirAll(p, mode); err != nil {
		tr.t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		tr.t.Fatal(err)
	}
}

func (tr *tree) file(rel, text string, mode os.FileMode) {
	p := filepath.Join(tr.dir, rel)
	if err := os.WriteFile(p, []byte(text), mode); err != nil {
		tr.t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		tr.t.Fatal(err)
	}
}

func (tr *tree) link(rel, target string) {
	if err := os.Symlink(target, filepath.Join(tr.dir, rel)); err != nil {
		tr.t.Fatal(err)
	}
}

// lineage writes archive/NAME/{cert,chain,fullchain,privkey}1..versions.pem,
// live/NAME links to the last version, live/NAME/README and the renewal
// conf from tmpl. It returns the not-after of the current certificate.
func (tr *tree) lineage(name string, names []string, versions int, tmpl string) time.Time {
	tr.t.Helper()
	tr.mkdir("archive/"+name, 0o755)
	tr.mkdir("live/"+name, 0o755)
	var notAfter time.Time
	for v := 1; v <= versions; v++ {
		cert, key, na := makeCert(tr.t, names, time.Now().AddDate(0, 0, -60+30*v))
		notAfter = na
		chain := "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" // never parsed here
		tr.file(fmt.Sprintf("archive/%s/cert%d.pem", name, v), cert, 0o644)
		tr.file(fmt.Sprintf("archive/%s/chain%d.pem", name, v), chain, 0o644)
		tr.file(fmt.Sprintf("archive/%s/fullchain%d.pem", name, v), cert+chain, 0o644)
		tr.file(fmt.Sprintf("archive/%s/privkey%d.pem", name, v), key, 0o600)
	}
	for _, kind := range []string{"cert", "chain", "fullchain", "privkey"} {
		tr.link(fmt.Sprintf("live/%s/%s.pem", name, kind), fmt.Sprintf("../../archive/%s/%s%d.pem", name, kind, versions))
	}
	tr.file("live/"+name+"/README", liveReadme, 0o644)
	conf := strings.ReplaceAll(strings.ReplaceAll(tmpl, "DIR", tr.dir), "NAME", name)
	tr.file("renewal/"+name+".conf", conf, 0o644)
	return notAfter
}

func makeCert(t *testing.T, names []string, notBefore time.Time) (certPEM, keyPEM string, notAfter time.Time) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: names[0]},
		DNSNames:     names,
		NotBefore:    notBefore,
		NotAfter:     notBefore.Add(90 * 24 * time.Hour).Truncate(time.Second),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})), tmpl.NotAfter
}

func (tr *tree) open() *Dir {
	tr.t.Helper()
	d, err := Open(tr.dir)
	if err != nil {
		tr.t.Fatal(err)
	}
	tr.t.Cleanup(func() { d.Close() })
	return d
}

func tr0() time.Time { return time.Now().AddDate(0, 0, -10) }
