package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/corpus"
	"github.com/httpsify/httpsify/e2e/sandbox"
)

// The layouts that used to fail after the CA was contacted: a port-80
// block redirecting at server level (return, rewrite, certbot's if) and
// the 2018 single block with `ssl on`. Each becomes HTTPS against Pebble,
// port 80 then redirects, and a rerun writes nothing.
func TestApplyRedirectLayoutsServeTheChallenge(t *testing.T) {
	for _, name := range []string{"tutorial-ssl-on-return-301", "single-block-2018", "rewrite-permanent", "certbot-snippets"} {
		t.Run(name, func(t *testing.T) {
			sb := newSandbox(t)
			args := append(append([]string{"apply"}, sb.ApplyArgs()...), useCorpusSite(t, sb, name)...)
			out, code := run(t, args...)
			if code != 0 {
				t.Fatalf("apply exited %d:\n%s", code, out)
			}
			status, body := getHTTPS(t, sb, "/")
			want := "Hello from the demo app"
			if name == "certbot-snippets" {
				want = "static index"
			}
			if status != 200 || !strings.Contains(body, want) {
				t.Errorf("https / = %d %q", status, body)
			}
			code301, loc, _ := getHTTP(t, sb, "/page?q=1")
			if code301 != 301 || !strings.HasPrefix(loc, "https://"+sb.Domain) {
				t.Errorf("http /page = %d %q", code301, loc)
			}
			before := snapshot(t, sb)
			out, code = run(t, args...)
			if code != 0 || !strings.Contains(out, "nothing to write") {
				t.Fatalf("rerun exited %d:\n%s", code, out)
			}
			requireSameFiles(t, before, snapshot(t, sb))
		})
	}
}

// Every corpus layout becomes HTTPS against Pebble, passes httpsify's own
// verification, and a rerun writes nothing.
func TestApplyEveryCorpusLayout(t *testing.T) {
	sites, err := corpus.Sites()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sites {
		t.Run(s.Name, func(t *testing.T) {
			sb := newSandbox(t)
			args := append(append([]string{"apply"}, sb.ApplyArgs()...), useCorpusSite(t, sb, s.Name)...)
			out, code := run(t, args...)
			if code != 0 {
				t.Fatalf("apply exited %d:\n%s", code, out)
			}
			before := snapshot(t, sb)
			out, code = run(t, args...)
			if code != 0 || !strings.Contains(out, "nothing to write") {
				t.Fatalf("rerun exited %d:\n%s", code, out)
			}
			requireSameFiles(t, before, snapshot(t, sb))
		})
	}
}

// tcpApp serves the sandbox's demo app on a loopback TCP port too, for
// the layouts that proxy to host:port.
func tcpApp(t *testing.T, sb *sandbox.Sandbox) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: "app"})
	rp.Transport = &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", sb.AppSocket)
	}}
	srv := &http.Server{Handler: rp}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().String()
}

// useCorpusSite replaces the sandbox's site with a corpus layout, reloads
// nginx, and returns the --domain flags for the layout's further names.
func useCorpusSite(t *testing.T, sb *sandbox.Sandbox, name string) []string {
	t.Helper()
	sites, err := corpus.Sites()
	if err != nil {
		t.Fatal(err)
	}
	confDir := filepath.Dir(sb.NginxConf)
	p := corpus.Params{
		Domain: sb.Domain, Alias: "example.test", HTTPPort: sb.HTTPPort, HTTPSPort: sb.HTTPSPort, AdminPort: sb.HTTPPort + 9,
		AppSocket: sb.AppSocket, AppAddr: tcpApp(t, sb), PHPSocket: filepath.Join(sb.Dir, "run", "php.sock"),
		Root: filepath.Join(sb.Dir, "www"), LogDir: filepath.Join(sb.Dir, "logs"),
		OldCert: filepath.Join(sb.Dir, "provider.pem"), OldKey: filepath.Join(sb.Dir, "provider.key"),
	}
	if err := os.MkdirAll(filepath.Join(p.Root, "letsencrypt"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(p.Root, "index.html"), []byte("static index\n"), 0o644)
	writeProviderCert(t, []string{p.Domain, p.Alias}, p.OldCert, p.OldKey)
	if err := corpus.WriteSupport(confDir, p); err != nil {
		t.Fatal(err)
	}
	for _, s := range sites {
		if s.Name != name {
			continue
		}
		text, err := s.Render(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(sb.SiteFile, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(sb.NginxBin, "-c", sb.NginxConf, "-s", "reload").CombinedOutput(); err != nil {
			t.Fatalf("reload: %v\n%s", err, out)
		}
		time.Sleep(time.Second) // old workers finish, new ones take the config
		var flags []string
		for _, d := range s.Domains(p)[1:] {
			flags = append(flags, "--domain", d)
		}
		return flags
	}
	t.Fatalf("no corpus layout %s", name)
	return nil
}

// writeProviderCert stands in for the .pem/.key a provider hands out.
func writeProviderCert(t *testing.T, names []string, certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(30 * 24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
}
