package e2e

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/corpus"
	"github.com/httpsify/httpsify/e2e/sandbox"
)

// Certificates users already have (issue 12): a provider-style chain made
// here (a private root, an intermediate, the leaf; the .pem holds the leaf
// and the intermediate, as a provider's "nginx" download does). httpsify
// trusts the private root through SSL_CERT_FILE, which Go's system pool
// reads, exactly as it would trust the system's roots.

type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

type providerChain struct {
	root, inter *testCA
	rootFile    string // trusted through SSL_CERT_FILE
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var serial int64 = 100

func issue(t *testing.T, tmpl *x509.Certificate, parent *testCA, key *ecdsa.PrivateKey) *testCA {
	t.Helper()
	serial++
	tmpl.SerialNumber = big.NewInt(serial)
	p, pk := tmpl, key
	if parent != nil {
		p, pk = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p, &key.PublicKey, pk)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{cert: c, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

func newProviderChain(t *testing.T, dir string) *providerChain {
	t.Helper()
	now := time.Now()
	ca := func(cn string, parent *testCA) *testCA {
		return issue(t, &x509.Certificate{
			Subject: pkix.Name{CommonName: cn}, NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(5 * 365 * 24 * time.Hour),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		}, parent, newKey(t))
	}
	pc := &providerChain{root: ca("Test Provider Root CA", nil)}
	pc.inter = ca("Test Provider DV CA G2", pc.root)
	pc.rootFile = filepath.Join(dir, "root.pem")
	if err := os.WriteFile(pc.rootFile, pc.root.pem, 0o644); err != nil {
		t.Fatal(err)
	}
	return pc
}

// leaf issues a server certificate under the intermediate.
func (pc *providerChain) leaf(t *testing.T, names []string, notBefore, notAfter time.Time) *testCA {
	t.Helper()
	return issue(t, &x509.Certificate{
		Subject: pkix.Name{CommonName: names[0]}, DNSNames: names, NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, pc.inter, newKey(t))
}

// download writes the provider's .pem (leaf, then the intermediate unless
// leafOnly) and .key (the key given), as a user copies them by hand.
func download(t *testing.T, dir, base string, leaf *testCA, inter *testCA, key *ecdsa.PrivateKey, keyMode os.FileMode) (certFile, keyFile string) {
	t.Helper()
	certFile, keyFile = filepath.Join(dir, base+".pem"), filepath.Join(dir, base+".key")
	body := append([]byte{}, leaf.pem...)
	if inter != nil {
		body = append(body, inter.pem...)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, body, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), keyMode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(keyFile, keyMode); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// byoArgs are the sandbox's apply arguments without the ACME ones.
func byoArgs(sb *sandbox.Sandbox) []string {
	var out []string
	args := sb.ApplyArgs()
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "--ca", "--ca-root", "--email":
			i++
		case "--agree-tos":
		default:
			out = append(out, args[i])
		}
	}
	return out
}

// servedChain is what a TLS handshake with the site gets, for version v
// (0: any). It trusts nothing: the caller compares.
func servedChain(t *testing.T, sb *sandbox.Sandbox, v uint16) ([]*x509.Certificate, error) {
	t.Helper()
	addr := net.JoinHostPort("127.0.0.1", fmt.Sprint(sb.HTTPSPort))
	c, err := tls.Dial("tcp", addr, &tls.Config{ServerName: sb.Domain, InsecureSkipVerify: true, MinVersion: v, MaxVersion: v})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.ConnectionState().PeerCertificates, nil
}

// requireServesLeaf: the handshake gets exactly leaf, with the
// intermediate, and the chain verifies to the private root.
func requireServesLeaf(t *testing.T, sb *sandbox.Sandbox, pc *providerChain, leaf *testCA) {
	t.Helper()
	got, err := servedChain(t, sb, 0)
	if err != nil {
		t.Fatalf("handshake: %v", err)
	}
	if !got[0].Equal(leaf.cert) {
		t.Fatalf("served leaf %q (serial %v), want the uploaded one (serial %v)", got[0].Subject, got[0].SerialNumber, leaf.cert.SerialNumber)
	}
	roots, inters := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(pc.root.cert)
	for _, c := range got[1:] {
		inters.AddCert(c)
	}
	if _, err := got[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inters, DNSName: sb.Domain}); err != nil {
		t.Errorf("the served chain does not verify to the provider's root (intermediate not sent?): %v", err)
	}
}

// stateSnapshot lists what is under the state dir (names and bytes): a
// refused run must not even create it.
func stateSnapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || filepath.Base(p) == "last-run.json" {
			return nil // the record of the last run changes with every run
		}
		if info.Mode().IsRegular() {
			b, _ := os.ReadFile(p)
			snap[p] = string(b)
		} else {
			snap[p] = info.Mode().String()
		}
		return nil
	})
	return snap
}

func TestApplyUploadedCertificateIsServed(t *testing.T) {
	sb := newSandbox(t)
	dir := t.TempDir()
	pc := newProviderChain(t, dir)
	now := time.Now()
	leaf := pc.leaf(t, []string{sb.Domain}, now.Add(-time.Hour), now.Add(90*24*time.Hour))
	// The key as users copy it: readable by everyone.
	certFile, keyFile := download(t, dir, "provider", leaf, pc.inter, leaf.key, 0o644)
	env := []string{"SSL_CERT_FILE=" + pc.rootFile}
	args := append([]string{"apply", "--cert-file", certFile, "--key-file", keyFile}, byoArgs(sb)...)

	out, code := runEnv(t, env, args...)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	if !strings.Contains(out, "can be read by other users") {
		t.Errorf("no warning about the key file's mode:\n%s", out)
	}
	if n, err := sb.PebbleOrders(); err != nil || n != 0 {
		t.Errorf("the CA got %d orders (%v) for an uploaded certificate", n, err)
	}
	requireServesLeaf(t, sb, pc, leaf)
	requireProtocols(t, sb)
	if status, body := getHTTPSTrusting(t, sb, pc.root.pem, "/"); status != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Errorf("https / = %d %q", status, body)
	}
	live := filepath.Join(sb.StateDir, "live", sb.Domain)
	requireMode(t, filepath.Join(live, "privkey.pem"), 0o600)
	if target, err := filepath.EvalSymlinks(live); err != nil || filepath.Dir(target) != filepath.Join(sb.StateDir, "archive", sb.Domain) {
		t.Errorf("the live dir is not a link to a version under the archive: %q %v", target, err)
	}
	var req map[string]any
	b, err := os.ReadFile(filepath.Join(sb.StateDir, "archive", sb.Domain, "request.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &req); err != nil {
		t.Fatal(err)
	}
	if req["cert_source"] != "uploaded" || req["cert_file"] != certFile || req["key_file"] != keyFile {
		t.Errorf("the stored request does not say the certificate was uploaded from the files:\n%s", b)
	}

	// A rerun with the same files writes nothing and verifies again.
	before, beforeState := snapshot(t, sb), stateSnapshot(t, filepath.Join(sb.StateDir, "archive"))
	out, code = runEnv(t, env, args...)
	if code != 0 || !strings.Contains(out, "nothing to write") || !strings.Contains(out, "nothing to store") {
		t.Fatalf("rerun exited %d:\n%s", code, out)
	}
	requireSameFiles(t, before, snapshot(t, sb))
	requireSameFiles(t, beforeState, stateSnapshot(t, filepath.Join(sb.StateDir, "archive")))

	// The provider's renewed files, due in 10 days: installed, with a
	// warning; the new leaf is served.
	soon := pc.leaf(t, []string{sb.Domain}, now.Add(-time.Hour), now.Add(10*24*time.Hour))
	soonCert, soonKey := download(t, dir, "renewed", soon, pc.inter, soon.key, 0o600)
	out, code = runEnv(t, env, append([]string{"apply", "--cert-file", soonCert, "--key-file", soonKey}, byoArgs(sb)...)...)
	if code != 0 || !strings.Contains(out, "the certificate expires in") {
		t.Fatalf("apply with a certificate due in 10 days exited %d:\n%s", code, out)
	}
	requireServesLeaf(t, sb, pc, soon)

	// renew never asks a CA for it: it says how to replace it, exits 0,
	// and the same leaf is still served.
	out, code = runEnv(t, env, "renew", "--state-dir", sb.StateDir)
	if code != 0 || !strings.Contains(out, "cannot renew itself") || !strings.Contains(out, "--cert-file") {
		t.Errorf("renew of an uploaded certificate exited %d:\n%s", code, out)
	}
	if n, err := sb.PebbleOrders(); err != nil || n != 0 {
		t.Errorf("renew ordered from the CA for an uploaded certificate: %d orders (%v)", n, err)
	}
	requireServesLeaf(t, sb, pc, soon)

	// An ACME-only flag next to --cert-file is refused, naming it.
	out, code = runEnv(t, env, append(args, "--ca", sb.CADirURL)...)
	if code != 2 || !strings.Contains(out, "--ca:") {
		t.Errorf("--ca with --cert-file: exit %d:\n%s", code, out)
	}
}

// getHTTPSTrusting fetches path trusting only root.
func getHTTPSTrusting(t *testing.T, sb *sandbox.Sandbox, root []byte, path string) (int, string) {
	t.Helper()
	resp, err := sb.HTTPSClient(root).Get(fmt.Sprintf("https://%s:%d%s", sb.Domain, sb.HTTPSPort, path))
	if err != nil {
		t.Fatalf("https request: %v", err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

// Each broken download is refused before anything is written: exit 2, the
// problem named in plain words, every file byte for byte as before (the
// state dir not even created).
func TestApplyRefusesBrokenUploadedCertificates(t *testing.T) {
	sb := newSandbox(t)
	dir := t.TempDir()
	pc := newProviderChain(t, dir)
	now := time.Now()
	good := func() *testCA { return pc.leaf(t, []string{sb.Domain}, now.Add(-time.Hour), now.Add(90*24*time.Hour)) }
	other := good()
	cases := []struct {
		name, want, field string
		files             func() (string, string)
	}{
		{"mismatched key", "does not belong to the certificate", "--key-file", func() (string, string) {
			l := good()
			return download(t, dir, "mismatch", l, pc.inter, other.key, 0o600)
		}},
		{"leaf without its intermediate", "the intermediate certificate is missing", "--cert-file", func() (string, string) {
			l := good()
			return download(t, dir, "nointer", l, nil, l.key, 0o600)
		}},
		{"expired pair", "the certificate expired on", "--cert-file", func() (string, string) {
			l := pc.leaf(t, []string{sb.Domain}, now.Add(-100*24*time.Hour), now.Add(-10*24*time.Hour))
			return download(t, dir, "expired", l, pc.inter, l.key, 0o600)
		}},
		{"names not covered", "does not cover", "--cert-file", func() (string, string) {
			l := pc.leaf(t, []string{"shop.example.test"}, now.Add(-time.Hour), now.Add(90*24*time.Hour))
			return download(t, dir, "othername", l, pc.inter, l.key, 0o600)
		}},
	}
	env := []string{"SSL_CERT_FILE=" + pc.rootFile}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			certFile, keyFile := c.files()
			before, beforeState := snapshot(t, sb), stateSnapshot(t, sb.StateDir)
			out, code := runEnv(t, env, append([]string{"apply", "--cert-file", certFile, "--key-file", keyFile}, byoArgs(sb)...)...)
			if code != 2 {
				t.Errorf("exit %d, want 2:\n%s", code, out)
			}
			if !strings.Contains(out, c.want) || !strings.Contains(out, c.field) || !strings.Contains(out, "Nothing was changed") {
				t.Errorf("the message does not name the problem (%q, %s):\n%s", c.want, c.field, out)
			}
			requireSameFiles(t, before, snapshot(t, sb))
			requireSameFiles(t, beforeState, stateSnapshot(t, sb.StateDir))
		})
	}
}

// The classic tutorial's site (port 80 redirects; 443 with `ssl on`,
// TLSv1/TLSv1.1 and a loose cipher list, the provider's files copied by
// hand) keeps its certificate and gets modern TLS: --keep-certificate.
func TestApplyKeepCertificateModernisesTutorialSite(t *testing.T) {
	sb := newSandbox(t)
	params := startCorpusWorld(t, sb)
	pc := newProviderChain(t, t.TempDir())
	now := time.Now()
	leaf := pc.leaf(t, []string{sb.Domain}, now.Add(-time.Hour), now.Add(200*24*time.Hour))
	// The provider's download, where the tutorial put it.
	certFile, keyFile := download(t, filepath.Dir(params.OldCert), "tutorial", leaf, pc.inter, leaf.key, 0o600)
	params.OldCert, params.OldKey = certFile, keyFile

	site := corpusSite(t, "tutorial-ssl-on-return-301")
	text, err := site.Render(params)
	if err != nil {
		t.Fatal(err)
	}
	confDir := filepath.Dir(sb.NginxConf)
	if err := os.Remove(filepath.Join(confDir, "sites-enabled", "app")); err != nil {
		t.Fatal(err)
	}
	siteFile := site.Path(confDir)
	if err := os.WriteFile(siteFile, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	restartNginx(t, sb)
	requireServesLeaf(t, sb, pc, leaf)

	// A dry run shows what is wrong with the site today, writing nothing.
	env := []string{"SSL_CERT_FILE=" + pc.rootFile}
	args := append([]string{"apply", "--keep-certificate"}, byoArgs(sb)...)
	before := snapshot(t, sb)
	out, code := runEnv(t, env, append(args, "--dry-run")...)
	if code != 0 {
		t.Fatalf("dry run exited %d:\n%s", code, out)
	}
	for _, want := range []string{"ssl on", "TLSv1", "yours, from " + certFile} {
		if !strings.Contains(out, want) {
			t.Errorf("the dry run does not mention %q:\n%s", want, out)
		}
	}
	requireSameFiles(t, before, snapshot(t, sb))

	out, code = runEnv(t, env, args...)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	requireServesLeaf(t, sb, pc, leaf)
	requireProtocols(t, sb)
	after, _ := os.ReadFile(siteFile)
	directives := withoutComments(string(after))
	for _, bad := range []string{"ssl on", "TLSv1 ", "TLSv1.1", "HIGH"} {
		if strings.Contains(directives, bad) {
			t.Errorf("the site still contains %q:\n%s", bad, after)
		}
	}
	// One server per name and port: nginx would warn about a second one.
	testOut, err := exec.Command(sb.NginxBin, "-t", "-c", sb.NginxConf).CombinedOutput()
	if err != nil || strings.Contains(string(testOut), "conflicting server name") {
		t.Errorf("nginx -t after apply: %v\n%s", err, testOut)
	}
	if n := strings.Count(string(after), fmt.Sprintf("listen %d ssl", sb.HTTPSPort)); n != 1 {
		t.Errorf("%d TLS listens on port %d, want 1:\n%s", n, sb.HTTPSPort, after)
	}
	if code, loc, err := redirectOf(sb, "/x?y=1"); err != nil || code != 301 || loc != fmt.Sprintf("https://%s:%d/x?y=1", sb.Domain, sb.HTTPSPort) {
		t.Errorf("http does not redirect to https: %d %q %v", code, loc, err)
	}
	b, _ := os.ReadFile(filepath.Join(sb.StateDir, "archive", sb.Domain, "request.json"))
	if !strings.Contains(string(b), `"cert_source": "uploaded"`) || !strings.Contains(string(b), certFile) {
		t.Errorf("the stored request does not record the kept files:\n%s", b)
	}

	// The same command again: the site now names httpsify's copy, the
	// stored request the files it came from; nothing is written.
	snap := snapshot(t, sb)
	out, code = runEnv(t, env, args...)
	if code != 0 || !strings.Contains(out, "nothing to write") || !strings.Contains(out, "nothing to store") {
		t.Fatalf("rerun exited %d:\n%s", code, out)
	}
	requireSameFiles(t, snap, snapshot(t, sb))
	requireServesLeaf(t, sb, pc, leaf)
}

func corpusSite(t *testing.T, name string) corpus.Site {
	t.Helper()
	sites, err := corpus.Sites()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sites {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no corpus site %s", name)
	return corpus.Site{}
}

// withoutComments drops the layout's comment lines (which talk about
// `ssl on`), leaving the directives.
func withoutComments(text string) string {
	var keep []string
	for _, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
