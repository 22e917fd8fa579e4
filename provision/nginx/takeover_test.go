package nginx

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/provision"
)

// The tutorial's hand-made TLS block: `ssl on`, TLSv1, a loose cipher
// list, the provider's files under /etc/nginx/ssl (relative to the
// configuration's directory, as the tutorial writes them).
const tutorialSite = `server {
    listen 80;
    server_name www.example.test;
    return 301 https://$server_name$request_uri;
}

server {
    listen 443;
    server_name www.example.test;
    ssl on;
    ssl_certificate ssl/www/www.example.test.pem;
    ssl_certificate_key ssl/www/www.example.test.key;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
    ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:HIGH:!aNULL:!MD5:!RC4:!DHE;
    ssl_prefer_server_ciphers on;

    location / {
        proxy_pass http://unix:/srv/app/app.sock;
    }
}
`

// The wizard's first screen says, in a few words, what is wrong with a
// site's hand-made TLS; planning says it in full and notes the
// certificate files the block names (resolved as nginx resolves them).
func TestTakeoverFindingsOfHandMadeTLS(t *testing.T) {
	tr := newTree(t, tutorialSite)
	d := tr.detection(t)
	if len(d.Sites) != 1 {
		t.Fatalf("sites %+v", d.Sites)
	}
	for _, want := range []string{"ssl on", "old TLS versions", "no TLS 1.3"} {
		if !slices.Contains(d.Sites[0].TLSByHand, want) {
			t.Errorf("the site's TLSByHand %q lacks %q", d.Sites[0].TLSByHand, want)
		}
	}
	p, err := BuildPlan(d, tr.settings(t, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if want := (provision.SiteCertFiles{Cert: tr.dir + "/ssl/www/www.example.test.pem", Key: tr.dir + "/ssl/www/www.example.test.key"}); p.SiteCert != want {
		t.Errorf("SiteCert %+v, want %+v", p.SiteCert, want)
	}
	warnings := strings.Join(p.Warnings, "\n")
	for _, want := range []string{`"ssl on;"`, "TLSv1, TLSv1.1", "TLSv1.3"} {
		if !strings.Contains(warnings, want) {
			t.Errorf("the plan's warnings do not mention %s:\n%s", want, warnings)
		}
	}
	site := withoutCommentLines(string(fileIn(p, tr.dir+"/sites-enabled/app").Content))
	for _, gone := range []string{"ssl on", "TLSv1 ", "HIGH"} {
		if strings.Contains(site, gone) {
			t.Errorf("the planned site still has %q:\n%s", gone, site)
		}
	}

	// --keep-certificate names the files the block names: unreadable here
	// (they do not exist), so certcheck refuses, naming the flag.
	s := tr.settings(t, Options{KeepCertificate: true})
	_, err = BuildPlan(d, s)
	var fe *provision.FieldError
	var ce *provision.CertCheckError
	if !errors.As(err, &fe) || fe.Field != provision.FlagKeepCertificate || !errors.As(err, &ce) {
		t.Fatalf("keep with missing files: %v", err)
	}
	if s.CertFile != p.SiteCert.Cert {
		t.Errorf("--keep-certificate checked %q, not the site's %q", s.CertFile, p.SiteCert.Cert)
	}
}

// A site without TLS of its own has nothing to keep.
func TestKeepCertificateWithoutOneRefused(t *testing.T) {
	tr := newTree(t, classicSite)
	_, err := BuildPlan(tr.detection(t), tr.settings(t, Options{KeepCertificate: true}))
	var fe *provision.FieldError
	if !errors.As(err, &fe) || fe.Field != provision.FlagKeepCertificate {
		t.Fatalf("got %v", err)
	}
}

func withoutCommentLines(text string) string {
	var keep []string
	for _, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// certbot renews its files in place: a kept copy would expire, so
// --keep-certificate refuses them (before reading them) and says why.
func TestKeepCertificateRefusesCertbotFiles(t *testing.T) {
	site := strings.NewReplacer(
		"ssl/www/www.example.test.pem", "/etc/letsencrypt/live/www.example.test/fullchain.pem",
		"ssl/www/www.example.test.key", "/etc/letsencrypt/live/www.example.test/privkey.pem").Replace(tutorialSite)
	tr := newTree(t, site)
	_, err := BuildPlan(tr.detection(t), tr.settings(t, Options{KeepCertificate: true}))
	var fe *provision.FieldError
	var ce *provision.CertCheckError
	if !errors.As(err, &fe) || fe.Field != provision.FlagKeepCertificate || errors.As(err, &ce) || !strings.Contains(err.Error(), "certbot") {
		t.Fatalf("got %v", err)
	}
}
