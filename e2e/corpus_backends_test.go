package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/fcgi"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

// corpusWorld is what a corpus site may point at: stand-in backends (an
// app on a unix socket, one on a TCP port, a FastCGI "PHP-FPM"), a web
// root with files, a password file, a provider-style certificate for
// layouts that already speak TLS, and Debian's snippets.
type corpusWorld struct {
	vars map[string]string
}

// echoApp answers with what nginx passed on that a user would notice
// missing: method, URI, Host, credentials, client address, upload size and
// the custom headers the corpus sets. Headers httpsify adds on purpose
// (X-Forwarded-Proto, Upgrade, Connection) are left out.
func echoApp(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Backend", name)
		_, _, auth := r.BasicAuth()
		fmt.Fprintf(w, "backend=%s\nmethod=%s\nuri=%s\nhost=%s\nauth=%v\nreal-ip=%s\ncustom=%s\nbody-bytes=%d\n",
			name, r.Method, r.RequestURI, r.Host, auth, r.Header.Get("X-Real-IP"), r.Header.Get("X-Custom"), n)
	})
}

func startCorpusWorld(t *testing.T, sb *sandbox.Sandbox, tcpPort int) *corpusWorld {
	t.Helper()
	dir := filepath.Join(sb.Dir, "corpus")
	root := filepath.Join(dir, "www")
	for _, d := range []string{root, filepath.Join(root, "static"), filepath.Join(dir, "letsencrypt"), filepath.Join(filepath.Dir(sb.NginxConf), "snippets")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		filepath.Join(root, "index.html"):        "<h1>static index</h1>\n",
		filepath.Join(root, "index.php"):         "<?php echo 'stand-in'; ?>\n",
		filepath.Join(root, "static", "app.css"): "body { color: #333; }\n",
	}
	for p, c := range files {
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Debian's own FastCGI files, as `include snippets/fastcgi-php.conf;`
	// and `include fastcgi_params;` expect them beside nginx.conf.
	ndir := filepath.Dir(sb.NginxConf)
	for _, f := range []string{"fastcgi_params", "fastcgi.conf", "snippets/fastcgi-php.conf"} {
		b, err := os.ReadFile(filepath.Join("/etc/nginx", f))
		if err != nil {
			t.Fatalf("Debian's nginx files are needed (e2e/install-deps.sh installs nginx): %v", err)
		}
		if err := os.WriteFile(filepath.Join(ndir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	htpasswd := filepath.Join(dir, "htpasswd")
	hash, err := exec.Command("openssl", "passwd", "-apr1", "secret").Output()
	if err != nil {
		t.Fatalf("openssl passwd: %v", err)
	}
	if err := os.WriteFile(htpasswd, []byte("admin:"+strings.TrimSpace(string(hash))+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cert, key := writeProviderCert(t, dir, sb.Domain)

	sock := filepath.Join(dir, "app.sock")
	serve(t, must(t)(sandbox.ListenApp(sock)), echoApp("socket"))
	serve(t, must(t)(net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", tcpPort))), echoApp("tcp"))
	fsock := filepath.Join(dir, "php-fpm.sock")
	fl := must(t)(sandbox.ListenApp(fsock))
	go fcgi.Serve(fl, echoApp("php"))
	t.Cleanup(func() { fl.Close() })

	w := &corpusWorld{vars: map[string]string{
		"{{DOMAIN}}":   sb.Domain,
		"{{HTTP}}":     fmt.Sprint(sb.HTTPPort),
		"{{HTTPS}}":    fmt.Sprint(sb.HTTPSPort),
		"{{DIR}}":      dir,
		"{{ROOT}}":     root,
		"{{SOCK}}":     sock,
		"{{TCP}}":      fmt.Sprint(tcpPort),
		"{{FCGI}}":     fsock,
		"{{HTPASSWD}}": htpasswd,
		"{{CERT}}":     cert,
		"{{KEY}}":      key,
	}}
	// certbot's own files, as its webroot and nginx plugins leave them.
	support := map[string]string{
		filepath.Join(ndir, "snippets", "letsencrypt.conf"): "location ^~ /.well-known/acme-challenge/ {\n    default_type \"text/plain\";\n    root {{DIR}}/letsencrypt;\n}\n",
		filepath.Join(dir, "options-ssl-nginx.conf"):        certbotOptions,
	}
	for p, c := range support {
		if err := os.WriteFile(p, []byte(w.render(t, c)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// certbotOptions is certbot's options-ssl-nginx.conf.
const certbotOptions = `# This file contains important security parameters. If you modify this file
# manually, Certbot will be unable to automatically provide future security
# updates. Instead, Certbot will print and log an error message with a path to
# the up-to-date file that you will need to refer to when manually updating
# this file. Contents are based on https://ssl-config.mozilla.org

ssl_session_cache shared:le_nginx_SSL:10m;
ssl_session_timeout 1440m;
ssl_session_tickets off;

ssl_protocols TLSv1.2 TLSv1.3;
ssl_prefer_server_ciphers off;

ssl_ciphers "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384";
`

// render fills a corpus site's placeholders; any left over is a typo.
func (w *corpusWorld) render(t *testing.T, text string) string {
	t.Helper()
	var pairs []string
	for k, v := range w.vars {
		pairs = append(pairs, k, v)
	}
	out := strings.NewReplacer(pairs...).Replace(text)
	if i := strings.Index(out, "{{"); i >= 0 {
		t.Fatalf("unknown placeholder in corpus site: %.30s", out[i:])
	}
	return out
}

func must(t *testing.T) func(net.Listener, error) net.Listener {
	return func(l net.Listener, err error) net.Listener {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
}

func serve(t *testing.T, l net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
}

// writeProviderCert writes what a cloud provider's "nginx" download holds:
// a .pem (leaf) and a .key, for layouts that already listen with TLS.
func writeProviderCert(t *testing.T, dir, name string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(90 * 24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".key")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile
}
