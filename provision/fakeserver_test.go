package provision

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/internal/testcert"
	"github.com/httpsify/httpsify/provision/txn"
	"github.com/httpsify/httpsify/provision/validate"
)

// fakeServer is a second web server behind the Server seam, to prove the
// engine needs nothing of nginx. Its whole configuration is one file of
// `cert PATH` and `key PATH` lines (none: plain http). It really serves,
// on loopback: port HTTP answers the app's page, or redirects to https
// once a certificate is loaded; port HTTPS serves whatever certificate
// the loaded configuration names.
type fakeServer struct {
	conf                string
	httpPort, httpsPort int

	mu      sync.Mutex
	live    *tls.Certificate // what the last Reload loaded
	reloads int
	// staleReload makes Reload keep the old certificate, as a server that
	// failed to take its new config would: verification must catch it.
	staleReload bool
}

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	f := &fakeServer{conf: filepath.Join(t.TempDir(), "fake.conf")}
	if err := os.WriteFile(f.conf, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "hello from the app") })
	plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.current() == nil {
			app(w, r)
			return
		}
		http.Redirect(w, r, "https://"+r.Host+":"+strconv.Itoa(f.httpsPort)+r.URL.RequestURI(), http.StatusMovedPermanently)
	})
	f.httpPort = serve(t, plain, nil)
	f.httpsPort = serve(t, app, &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
		if c := f.current(); c != nil {
			return c, nil
		}
		return nil, errors.New("no certificate configured")
	}})
	return f
}

// serve listens on a free loopback port, with TLS when cfg is set.
func serve(t *testing.T, h http.Handler, cfg *tls.Config) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if cfg != nil {
		l = tls.NewListener(l, cfg)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().(*net.TCPAddr).Port
}

func (f *fakeServer) current() *tls.Certificate {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.live
}

// load reads the configuration on disk and the certificate it names.
func (f *fakeServer) load() (*tls.Certificate, error) {
	b, err := os.ReadFile(f.conf)
	if err != nil {
		return nil, err
	}
	paths := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if k, v, ok := strings.Cut(l, " "); ok {
			paths[k] = v
		}
	}
	if paths["cert"] == "" {
		return nil, nil
	}
	c, err := tls.LoadX509KeyPair(paths["cert"], paths["key"])
	if err != nil {
		return nil, &CheckError{Command: "fake -t", Output: err.Error()}
	}
	return &c, nil
}

func (f *fakeServer) Detect(ctx context.Context, h *Host, sink Sink) (*Detection, error) {
	sink.emit(PhaseDetect, KindOK, "fake server")
	return &Detection{
		Server: f, Name: "fake", Version: "1.0", Conf: f.conf, Running: true,
		HTTPBusy: true,
		Sites:    []Site{{Names: []string{"www.example.test"}, Ports: []int{f.httpPort}, File: f.conf}},
	}, nil
}

func (f *fakeServer) PlanSite(p *Plan) error {
	s := p.Settings
	old, err := os.ReadFile(f.conf)
	if err != nil {
		return err
	}
	content := []byte("cert " + filepath.Join(s.CertDir, "fullchain.pem") + "\nkey " + filepath.Join(s.CertDir, "privkey.pem") + "\n")
	p.SiteFile = f.conf
	if !bytes.Equal(old, content) {
		p.Files = append(p.Files, FileChange{Change: txn.Change{Path: f.conf, Content: content, Mode: 0o644}, Shown: f.conf, Old: old, Existed: true, Why: "the HTTPS site"})
	}
	return nil
}

// PlanChallenge: the fake answers no challenge; the test brings its own
// certificate.
func (f *fakeServer) PlanChallenge(p *Plan) (Challenge, error) { return HTTP01Server{}, nil }

func (f *fakeServer) Probes(d *Detection, s *Settings) []Probe {
	return []Probe{{Path: "/", Body: true}}
}
func (f *fakeServer) CurrentApp(d *Detection, s *Settings) *validate.Upstream {
	return nil
}
func (f *fakeServer) AppTargets(d *Detection, name string) ([]DialTarget, bool) { return nil, false }

func (f *fakeServer) Test(ctx context.Context, d *Detection) (string, error) {
	if _, err := f.load(); err != nil {
		return "", err
	}
	return "fake: configuration ok", nil
}
func (f *fakeServer) TestCommand(d *Detection) []string { return []string{"fake", "-t"} }

func (f *fakeServer) Reload(ctx context.Context, d *Detection) error {
	c, err := f.load()
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reloads++
	if !f.staleReload {
		f.live = c
	}
	d.Running = true
	return nil
}
func (f *fakeServer) ReloadCommand(d *Detection) []string { return []string{"fake", "reload"} }

// fakeRun is one site on the fake server with a certificate staged as if
// Issue had just got it.
func fakeRun(t *testing.T) (*fakeServer, *Session, *Plan, *Issued) {
	t.Helper()
	f := newFakeServer(t)
	dir := t.TempDir()
	o := Options{Domains: []string{"www.example.test"}, HTTPPort: f.httpPort, HTTPSPort: f.httpsPort,
		StateDir: filepath.Join(dir, "state"), ChallengeDir: filepath.Join(dir, "acme"), NginxConf: f.conf}
	s, err := o.Validate()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sess, err := Open(ctx, f, &s.Host, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	sess.VerifyWait = time.Second // a failing check waits this long
	d, err := sess.Detect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := sess.Plan(d, s)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Issue || len(p.Files) != 1 || p.Files[0].Path != f.conf {
		t.Fatalf("plan: issue %v, files %+v", p.Issue, p.Files)
	}
	vdir, err := certstore.Stage(p.ArchiveDir, testcert.Bundle(t, "www.example.test"))
	if err != nil {
		t.Fatal(err)
	}
	leaf, n, err := certstore.ReadVersion(vdir)
	if err != nil {
		t.Fatal(err)
	}
	return f, sess, p, &Issued{New: true, VersionDir: vdir, Leaf: leaf, ChainLen: n}
}

// The engine drives a server that is not nginx through the seam: plan,
// write, test, reload, and a verification that observed the new
// certificate on the fake's TLS port.
func TestFakeServerDeploysThroughTheSeam(t *testing.T) {
	f, sess, p, iss := fakeRun(t)
	res, err := sess.Deploy(context.Background(), p, iss)
	if err != nil {
		t.Fatalf("Deploy: %v (checks %+v)", err, res.Checks)
	}
	live := f.current()
	if live == nil || !bytes.Equal(live.Certificate[0], iss.Leaf.Raw) {
		t.Fatal("the fake does not serve the issued certificate after Deploy")
	}
	served := false
	for _, c := range res.Checks {
		if strings.HasPrefix(c.Name, "certificate served for") && c.OK {
			served = true
		}
	}
	if !served {
		t.Fatalf("no passing certificate check: %+v", res.Checks)
	}
	if got, _ := os.ReadFile(f.conf); !strings.Contains(string(got), filepath.Join(p.Settings.CertDir, "fullchain.pem")) {
		t.Fatalf("config = %q", got)
	}
	// The request is stored with the certificate and reads back the same.
	r, err := LoadRequest(p.Settings.Layout(), "www.example.test")
	if err != nil {
		t.Fatal(err)
	}
	if r.CertDir != p.Settings.CertDir || r.CADirectory != p.Settings.CADirectory || r.KeyType != p.Settings.KeyType {
		t.Fatalf("stored request %+v, want the run's %+v", r, p.Settings.Request)
	}
}

// A server that reloads but keeps serving its old certificate fails
// verification: the engine restores the config byte for byte and reloads
// the server back to it.
func TestFakeServerRollsBackWhenVerificationFails(t *testing.T) {
	f, sess, p, iss := fakeRun(t)
	f.staleReload = true
	before, _ := os.ReadFile(f.conf)
	_, err := sess.Deploy(context.Background(), p, iss)
	var ve *VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("Deploy = %v, want a verification failure", err)
	}
	if after, _ := os.ReadFile(f.conf); !bytes.Equal(after, before) {
		t.Fatalf("config not restored: %q", after)
	}
	if f.reloads != 2 {
		t.Fatalf("%d reloads, want 2 (the change, then the restore)", f.reloads)
	}
}

// A config the server's own check refuses is never reloaded.
func TestFakeServerRefusedConfigIsNeverReloaded(t *testing.T) {
	f, sess, p, iss := fakeRun(t)
	p.Files[0].Content = []byte("cert /nonexistent/fullchain.pem\nkey /nonexistent/privkey.pem\n")
	before, _ := os.ReadFile(f.conf)
	_, err := sess.Deploy(context.Background(), p, iss)
	var ce *CheckError
	if !errors.As(err, &ce) {
		t.Fatalf("Deploy = %v, want the server's check to refuse", err)
	}
	if after, _ := os.ReadFile(f.conf); !bytes.Equal(after, before) || f.reloads != 0 {
		t.Fatalf("config %q after %d reloads, want it restored and never reloaded", after, f.reloads)
	}
}
