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

	"github.com/httpsify/httpsify/e2e/corpus"
	"github.com/httpsify/httpsify/e2e/sandbox"
)

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

// startCorpusWorld starts what a corpus site may point at — stand-in
// backends (an app on a unix socket, one on a TCP port, a FastCGI
// "PHP-FPM"), a web root with files and a password file, a provider-style
// certificate for layouts that already speak TLS — and writes the shared
// files the layouts include beside nginx.conf. It returns the values for
// the corpus placeholders.
func startCorpusWorld(t *testing.T, sb *sandbox.Sandbox) corpus.Params {
	t.Helper()
	dir := filepath.Join(sb.Dir, "corpus")
	root := filepath.Join(dir, "www")
	logs := filepath.Join(dir, "logs")
	for _, d := range []string{root, filepath.Join(root, "static"), filepath.Join(root, "letsencrypt"), logs} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	hash, err := exec.Command("openssl", "passwd", "-apr1", "secret").Output()
	if err != nil {
		t.Fatalf("openssl passwd: %v", err)
	}
	files := map[string]string{
		filepath.Join(root, "index.html"):        "<h1>static index</h1>\n",
		filepath.Join(root, "index.php"):         "<?php echo 'stand-in'; ?>\n",
		filepath.Join(root, "static", "app.css"): "body { color: #333; }\n",
		filepath.Join(root, ".htpasswd"):         "admin:" + strings.TrimSpace(string(hash)) + "\n",
	}
	for p, c := range files {
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cert, key := filepath.Join(dir, "provider.pem"), filepath.Join(dir, "provider.key")
	writeProviderCert(t, []string{sb.Domain, "example.test"}, cert, key)

	p := corpus.Params{
		Domain:    sb.Domain,
		Alias:     "example.test",
		HTTPPort:  sb.HTTPPort,
		HTTPSPort: sb.HTTPSPort,
		AdminPort: sb.HTTPPort + 7,
		AppSocket: filepath.Join(dir, "app.sock"),
		AppAddr:   fmt.Sprintf("127.0.0.1:%d", sb.HTTPPort+6),
		PHPSocket: filepath.Join(dir, "php-fpm.sock"),
		Root:      root,
		LogDir:    logs,
		OldCert:   cert,
		OldKey:    key,
	}
	serve(t, must(t)(sandbox.ListenApp(p.AppSocket)), echoApp("socket"))
	serve(t, must(t)(net.Listen("tcp", p.AppAddr)), echoApp("tcp"))
	fl := must(t)(sandbox.ListenApp(p.PHPSocket))
	go fcgi.Serve(fl, echoApp("php"))
	t.Cleanup(func() { fl.Close() })

	if err := corpus.WriteSupport(filepath.Dir(sb.NginxConf), p); err != nil {
		t.Fatal(err)
	}
	return p
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
