package steps

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/dnschallenge/dnshelper/helpertest"
	"github.com/httpsify/httpsify/provision/nginx"
	"github.com/httpsify/httpsify/provision/nginxconf"
	"github.com/httpsify/httpsify/provision/txn"
	"github.com/httpsify/httpsify/ui"
)

// Views are compared without colour, so golden files are plain text.
// The credentials check of DNS-01 runs lego's provider in the real
// helper, built beside the test binary, where httpsify looks for it.
func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	helper, err := helpertest.BuildBesideExecutable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.Remove(helper)
	os.Exit(code)
}

// The fixture is a Debian-style nginx with one proxied site, under paths
// that do not exist on the test machine, so the plan is the same
// everywhere and nothing is ever touched.
const (
	fixConf  = "/etc/nginx-fixture/nginx.conf"
	fixSite  = "/etc/nginx-fixture/sites-enabled/app"
	fixState = "/var/lib/httpsify-fixture"
)

var fixFiles = []nginxconf.File{
	{Path: fixConf, Content: []byte(`events {}
http {
	ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
	include /etc/nginx-fixture/sites-enabled/*;
}
`)},
	{Path: fixSite, Content: []byte(`server {
	listen 80;
	server_name www.example.test;

	location / {
		proxy_pass http://unix:/srv/app/app.sock;
	}
}
`)},
}

var fixNow = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

func fixDetection(t testing.TB) *provision.Detection {
	cfg, err := nginxconf.Analyze(fixFiles)
	if err != nil {
		t.Fatal(err)
	}
	d := nginx.New(nginx.Nginx{Bin: "/usr/sbin/nginx", Conf: fixConf}, nginx.Version{Major: 1, Minor: 22, Patch: 1}, cfg)
	d.Running = true
	return d.Detection
}

// fakeEngine plays scripted events and results; Issue and Deploy can be
// held until the test releases them, or cancelled.
type fakeEngine struct {
	st        *State
	detect    *provision.Detection
	detectErr error

	issueEvents []provision.Event
	issueErr    error
	holdIssue   chan struct{} // when set, Issue waits for it or ctx

	deployEvents []provision.Event
	deployErr    error
	holdDeploy   chan struct{}
	deploys      int
}

func (f *fakeEngine) Detect(ctx context.Context) (*provision.Detection, error) {
	f.st.Feed.Sink(ev(provision.PhaseDetect, provision.KindStart, "reading the nginx configuration"))
	return f.detect, f.detectErr
}

func (f *fakeEngine) Issue(ctx context.Context, p *provision.Plan) (*provision.Issued, error) {
	for _, e := range f.issueEvents {
		f.st.Feed.Sink(e)
	}
	if f.holdIssue != nil {
		select {
		case <-f.holdIssue:
		case <-ctx.Done():
			f.st.Feed.Sink(ev(provision.PhasePrepare, provision.KindOK, "temporary challenge location removed again"))
			return nil, &provision.IssueError{Cause: provision.CauseCancelled, Err: errors.New("cancelled: no certificate was issued and nothing was changed")}
		}
	}
	if f.issueErr != nil {
		return nil, f.issueErr
	}
	return &provision.Issued{New: true, VersionDir: fixState + "/archive/www.example.test/20260301T093000Z-0001", Leaf: fixLeaf(), ChainLen: 1}, nil
}

func (f *fakeEngine) Deploy(ctx context.Context, p *provision.Plan, iss *provision.Issued) (*provision.Result, error) {
	f.deploys++
	for _, e := range f.deployEvents {
		f.st.Feed.Sink(e)
	}
	if f.holdDeploy != nil {
		<-f.holdDeploy
	}
	if f.deployErr != nil {
		return nil, f.deployErr
	}
	return fixResult(p, iss), nil
}

func ev(p provision.Phase, k provision.Kind, msg string) provision.Event {
	return provision.Event{Time: fixNow, Phase: p, Kind: k, Message: msg}
}

// fixLeaf is a certificate with fixed names and dates.
func fixLeaf() *x509.Certificate {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "www.example.test"},
		DNSNames:     []string{"www.example.test"},
		NotBefore:    fixNow,
		NotAfter:     fixNow.Add(90 * 24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return leaf
}

func fixResult(p *provision.Plan, iss *provision.Issued) *provision.Result {
	r := &provision.Result{Plan: p, Issued: iss, BackupDir: fixState + "/backups/20260301-093000.000000000-abcd1234", RenewAt: iss.Leaf.NotAfter.Add(-30 * 24 * time.Hour)}
	for _, f := range p.Files {
		r.Changed = append(r.Changed, f.Path)
		r.Backups = append(r.Backups, txn.Backup{Path: f.Path, BackupPath: r.BackupDir + f.Path, Existed: true})
	}
	r.Changed = append(r.Changed, p.Settings.CertDir)
	r.Backups = append(r.Backups, txn.Backup{Path: p.Settings.CertDir})
	return r
}

// newState returns the wizard state with the fixture and fakes; the
// options are what a user would pass for this machine.
func newState(t *testing.T) (*State, *fakeEngine) {
	t.Helper()
	o := provision.Options{CA: "letsencrypt", NginxConf: fixConf, NginxBin: "/usr/sbin/nginx", StateDir: fixState, HTTPPort: 80, HTTPSPort: 443}
	base, err := o.ValidateHost()
	if err != nil {
		t.Fatal(err)
	}
	feed := NewFeed()
	t.Cleanup(func() { feed.Close(); feed.Wait() })
	st := &State{Answers: Answers{Opts: o, Base: base}, Deps: Deps{
		Ctx: context.Background(), Feed: feed, Theme: ui.NewTheme(false), Keys: ui.Keys,
		Lookup: func(ctx context.Context, host string) ([]net.IPAddr, error) {
			return []net.IPAddr{{IP: net.ParseIP("203.0.113.10")}}, nil
		},
		LocalAddrs: func() ([]net.IP, error) { return []net.IP{net.ParseIP("192.0.2.5")}, nil },
		TermsURL: func(ctx context.Context, s *provision.Settings) (string, error) {
			return "https://letsencrypt.org/documents/LE-SA-v1.5-February-24-2025.pdf", nil
		},
		// The fixture's app socket does not exist here: the app is taken
		// to answer unless a test says otherwise.
		CheckApp: func(*provision.Plan) error { return nil },
		Preflight: func(*provision.Host) *provision.Preflight {
			return &provision.Preflight{
				HTTP:  provision.PortUse{Port: 80, Listening: true, Process: "nginx", PID: 812},
				HTTPS: provision.PortUse{Port: 443},
			}
		},
		Now: func() time.Time { return fixNow },
	}}
	fe := &fakeEngine{st: st, detect: fixDetection(t)}
	st.Engine = fe
	return st, fe
}

// answered fills the state as if steps 1-3 were answered (and 4 issued
// when issued is set).
func answered(t *testing.T, st *State, issued bool) {
	t.Helper()
	st.Detection = fixDetection(t)
	st.Pre = st.Preflight(st.Base)
	st.Opts.Domains = []string{"www.example.test"}
	st.Opts.Upstream = "unix:/srv/app/app.sock"
	st.Opts.Email = "me@example.org"
	st.Opts.AgreeTOS = true
	if err := st.Settle(); err != nil {
		t.Fatal(err)
	}
	if issued {
		st.Issued = &provision.Issued{New: true, VersionDir: fixState + "/archive/www.example.test/20260301T093000Z-0001", Leaf: fixLeaf(), ChainLen: 1}
	}
}

// sizes are the terminals every view is checked at.
var sizes = []struct {
	name string
	w, h int
}{{"80x24", 80, 24}, {"120x40", 120, 40}}

// start runs the wizard from step i in a test program of size w x h.
func start(t *testing.T, st *State, i, w, h int) *teatest.TestModel {
	t.Helper()
	return teatest.NewTestModel(t, New(st).StartAt(i), teatest.WithInitialTermSize(w, h))
}

// printed keeps what waitFor consumed of each program's output, so a test
// can read the whole transcript afterwards.
var printed = map[*teatest.TestModel]*bytes.Buffer{}

// waitFor waits until the program has printed s (after the last wait).
func waitFor(t *testing.T, tm *teatest.TestModel, s string) {
	t.Helper()
	var seen []byte
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		seen = b
		return bytes.Contains([]byte(ansi.Strip(string(b))), []byte(s))
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	if printed[tm] == nil {
		printed[tm] = &bytes.Buffer{}
	}
	printed[tm].Write(seen)
}

// finalView stops the program and returns its last view without colour,
// with spinner frames made constant; it also checks the view fits.
func finalView(t *testing.T, tm *teatest.TestModel, w, h int) (*ui.Shell, string) {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	sh := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*ui.Shell)
	v := ansi.Strip(sh.View())
	for _, f := range spinner.MiniDot.Frames {
		v = strings.ReplaceAll(v, f, "*")
	}
	lines := strings.Split(v, "\n")
	if len(lines) > h {
		t.Errorf("view has %d lines, terminal %d", len(lines), h)
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Errorf("line %d is %d cells wide, terminal %d: %q", i+1, ansi.StringWidth(l), w, l)
		}
	}
	return sh, v
}

// golden compares the view with testdata/<test name>.golden.
func golden(t *testing.T, view string) {
	t.Helper()
	teatest.RequireEqualOutput(t, []byte(view+"\n"))
}

func press(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}
