package certbot

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLineagesListed(t *testing.T) {
	tr := newTree(t)
	naCom := tr.lineage("example.com", []string{"example.com", "www.example.com"}, 2, nginxConf)
	naOrg := tr.lineage("example.org", []string{"example.org", "api.example.org"}, 1, webrootConf)
	d := tr.open()

	ls, err := d.Lineages()
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 2 || ls[0].Name != "example.com" || ls[1].Name != "example.org" {
		t.Fatalf("lineages %+v", ls)
	}
	com, org := ls[0], ls[1]
	for _, l := range ls {
		if l.Err != nil || !l.RenewalEnabled {
			t.Errorf("%s: err %v enabled %v", l.Name, l.Err, l.RenewalEnabled)
		}
	}
	if !reflect.DeepEqual(com.Names, []string{"example.com", "www.example.com"}) || !com.NotAfter.Equal(naCom) {
		t.Errorf("example.com: names %v not-after %v (want %v)", com.Names, com.NotAfter, naCom)
	}
	if want := (Files{Cert: "archive/example.com/cert2.pem", PrivKey: "archive/example.com/privkey2.pem",
		Chain: "archive/example.com/chain2.pem", Fullchain: "archive/example.com/fullchain2.pem"}); com.Current != want {
		t.Errorf("current files %+v, want the second version %+v", com.Current, want)
	}
	if com.RenewalFile != filepath.Join(tr.dir, "renewal", "example.com.conf") {
		t.Errorf("renewal file %q", com.RenewalFile)
	}
	c := com.Conf
	if c.Version != "2.1.0" || c.Authenticator != "nginx" || c.Installer != "nginx" || c.KeyType != "ecdsa" ||
		c.Server != "https://acme-v02.api.letsencrypt.org/directory" || c.Account != "8c4d0b3a2f1e5d6c7b8a9f0e1d2c3b4a" ||
		c.Fullchain != filepath.Join(tr.dir, "live/example.com/fullchain.pem") || c.ArchiveDir != filepath.Join(tr.dir, "archive/example.com") {
		t.Errorf("example.com conf %+v", c)
	}
	o := org.Conf
	if o.Authenticator != "webroot" || o.Installer != "" || !reflect.DeepEqual(o.WebrootPath, []string{"/var/www/html"}) ||
		o.WebrootMap["api.example.org"] != "/var/www/html" || o.WebrootMap["example.org"] != "/var/www/html" || len(o.WebrootMap) != 2 {
		t.Errorf("example.org conf %+v", o)
	}
	if !org.NotAfter.Equal(naOrg) {
		t.Errorf("example.org not-after %v, want %v", org.NotAfter, naOrg)
	}
}

func TestLineageForPath(t *testing.T) {
	tr := newTree(t)
	tr.lineage("example.com", []string{"example.com"}, 1, nginxConf)
	tr.lineage("example.com-0001", []string{"example.com", "new.example.com"}, 1, nginxConf)
	d := tr.open()

	for p, want := range map[string]string{
		tr.dir + "/live/example.com/fullchain.pem":      "example.com",
		tr.dir + "/live/example.com/privkey.pem":        "example.com",
		tr.dir + "/live/example.com-0001/fullchain.pem": "example.com-0001",
		tr.dir + "/archive/example.com/fullchain1.pem":  "example.com",
		tr.dir + "//live/./example.com/chain.pem":       "example.com",
	} {
		l, err := d.LineageForPath(p)
		if err != nil || l.Name != want {
			t.Errorf("%s: got %q, %v; want %q", p, l.Name, err, want)
		}
	}
	for p, want := range map[string]error{
		"/etc/nginx/ssl/example.com/example.com.pem": ErrNotCertbot,
		tr.dir + "/live/other.com/fullchain.pem":     ErrNoLineage,
		tr.dir + "/live/README":                      ErrNotCertbot,
		"live/example.com/fullchain.pem":             ErrNotCertbot,
		tr.dir + "/live/../../etc/x.pem":             ErrNotCertbot,
	} {
		if _, err := d.LineageForPath(p); !errors.Is(err, want) {
			t.Errorf("%s: err %v, want %v", p, err, want)
		}
	}
}

// A lineage configured with a custom --cert-path maps through its conf.
func TestLineageForCustomPath(t *testing.T) {
	tr := newTree(t)
	tr.lineage("example.com", []string{"example.com"}, 1, nginxConf)
	conf, _ := os.ReadFile(filepath.Join(tr.dir, "renewal/example.com.conf"))
	custom := []byte(replaceLine(string(conf), "fullchain = ", "fullchain = /etc/nginx/ssl/example.com/fullchain.pem"))
	tr.file("renewal/example.com.conf", string(custom), 0o644)
	l, err := tr.open().LineageForPath("/etc/nginx/ssl/example.com/fullchain.pem")
	if err != nil || l.Name != "example.com" {
		t.Fatalf("got %q, %v", l.Name, err)
	}
}

func replaceLine(text, prefix, with string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			lines[i] = with
		}
	}
	return strings.Join(lines, "\n")
}
