package dnschallenge

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	stdlog "log"
	"net/http"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-acme/lego/v4/certcrypto"
	"github.com/go-acme/lego/v4/certificate"
	"github.com/go-acme/lego/v4/challenge"
	"github.com/go-acme/lego/v4/challenge/dns01"
	"github.com/go-acme/lego/v4/lego"
	legolog "github.com/go-acme/lego/v4/log"
	"github.com/go-acme/lego/v4/registration"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

// startBIND starts a sandbox with BIND on a block of ports no other
// sandbox uses (in this process or another test process).
func startBIND(tb testing.TB) *sandbox.Sandbox {
	tb.Helper()
	base, err := sandbox.FreeBasePort()
	if err != nil {
		tb.Fatal(err)
	}
	s, err := sandbox.Start(sandbox.Options{Dir: tb.TempDir(), BasePort: base, BIND: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Stop() })
	return s
}

type acmeUser struct {
	key crypto.PrivateKey
	reg *registration.Resource
}

func (u *acmeUser) GetEmail() string                        { return "" }
func (u *acmeUser) GetRegistration() *registration.Resource { return u.reg }
func (u *acmeUser) GetPrivateKey() crypto.PrivateKey        { return u.key }

// legoClient is a registered lego client for the sandbox's Pebble,
// trusting only the sandbox's CA file.
func legoClient(tb testing.TB, s *sandbox.Sandbox) *lego.Client {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	pemBytes, err := os.ReadFile(s.CARootFile)
	if err != nil {
		tb.Fatal(err)
	}
	pool = x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		tb.Fatal("no CA in", s.CARootFile)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig.RootCAs = pool
	tr.Proxy = nil
	u := &acmeUser{key: key}
	cfg := lego.NewConfig(u)
	cfg.CADirURL = s.CADirURL
	cfg.UserAgent = "httpsify-test"
	cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second, Transport: tr}
	cfg.Certificate.KeyType = certcrypto.EC256
	c, err := lego.NewClient(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	u.reg, err = c.Registration.Register(registration.RegisterOptions{TermsOfServiceAgreed: true})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// obtain issues a certificate for domains with provider and options and
// checks that the leaf names exactly those domains.
func obtain(tb testing.TB, c *lego.Client, provider challenge.Provider, opts []dns01.ChallengeOption, domains ...string) *x509.Certificate {
	tb.Helper()
	if err := c.Challenge.SetDNS01Provider(provider, opts...); err != nil {
		tb.Fatal(err)
	}
	res, err := c.Certificate.Obtain(certificate.ObtainRequest{Domains: domains, Bundle: true})
	if err != nil {
		tb.Fatal(err)
	}
	block, _ := pem.Decode(res.Certificate)
	if block == nil {
		tb.Fatal("no PEM certificate from lego")
	}
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		tb.Fatal(err)
	}
	got, want := slices.Sorted(slices.Values(leaf.DNSNames)), slices.Sorted(slices.Values(domains))
	if !slices.Equal(got, want) {
		tb.Fatalf("certificate names %q, want %q", got, want)
	}
	return leaf
}

// captureLegoLog sends lego's global log to a buffer for the test, shown
// when the test fails or runs with -v.
func captureLegoLog(tb testing.TB) *syncBuffer {
	b := &syncBuffer{}
	old := legolog.Logger
	legolog.Logger = stdlog.New(b, "", stdlog.Ltime|stdlog.Lmicroseconds)
	tb.Cleanup(func() {
		legolog.Logger = old
		if tb.Failed() || testing.Verbose() {
			tb.Log("lego log:\n" + b.String())
		}
	})
	return b
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// eventLog collects events from any goroutine.
type eventLog struct {
	mu     sync.Mutex
	events []Event
}

func (l *eventLog) add(e Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

func (l *eventLog) all() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.events)
}
