package sandbox

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-acme/lego/v4/acme"
	"github.com/go-acme/lego/v4/certcrypto"
	"github.com/go-acme/lego/v4/certificate"
	"github.com/go-acme/lego/v4/lego"
	"github.com/go-acme/lego/v4/providers/http/webroot"
	"github.com/go-acme/lego/v4/registration"

	"github.com/httpsify/httpsify/provision/renewdue"
)

// legoName is served by a server block of its own (challenge files from
// a webroot), beside the tutorial site the sandbox sets up.
const legoName = "ari.example.test"

const shortLived = 5 * time.Minute

// TestProfilesARIAndReplacement talks to the sandbox's Pebble with lego
// alone: a certificate per profile, each one's ARI window, due-ness
// computed from those real answers, and replacement orders.
func TestProfilesARIAndReplacement(t *testing.T) {
	s, err := Start(Options{Dir: t.TempDir(), BasePort: testBase(t), ShortLived: shortLived})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	if got := strings.Join(s.Profiles, ","); got != "default,shortlived" {
		t.Fatalf("Profiles = %q", got)
	}
	dir := serveWebroot(t, s)
	client := newLegoClient(t, s, dir)

	long := obtain(t, client, certificate.ObtainRequest{Domains: []string{legoName}, Bundle: true, Profile: ProfileDefault})
	short := obtain(t, client, certificate.ObtainRequest{Domains: []string{legoName}, Bundle: true, Profile: ProfileShortLived})

	// Pebble: NotAfter = NotBefore + validityPeriod - 1s.
	if got := long.NotAfter.Sub(long.NotBefore); got != DefaultValidity-time.Second {
		t.Errorf("default profile: valid %v, want %v", got, DefaultValidity-time.Second)
	}
	if got := short.NotAfter.Sub(short.NotBefore); got != shortLived-time.Second {
		t.Errorf("shortlived profile: valid %v, want %v", got, shortLived-time.Second)
	}

	longARI := renewalInfo(t, client, long)
	shortARI := renewalInfo(t, client, short)
	// Pebble centres a 2-day window on the third-left point and clips it
	// to the lifetime: the short certificate's window is its lifetime.
	third := renewdue.Lifetime{NotBefore: long.NotBefore, NotAfter: long.NotAfter}.ThirdLeft()
	if w := longARI.SuggestedWindow; w.Start.After(third) || w.End.Before(third) || w.End.Sub(w.Start) > 48*time.Hour {
		t.Errorf("default profile window %v – %v does not span the third-left point %v", w.Start, w.End, third)
	}
	if w := shortARI.SuggestedWindow; w.Start.Before(short.NotBefore.Add(-time.Second)) || w.End.After(short.NotAfter.Add(time.Second)) {
		t.Errorf("shortlived window %v – %v outside the lifetime %v – %v", w.Start, w.End, short.NotBefore, short.NotAfter)
	}
	if longARI.RetryAfter <= 0 {
		t.Errorf("no Retry-After on the ARI answer")
	}

	t.Run("due-ness from the real answers", func(t *testing.T) {
		counting := &countingCertifier{inner: client.Certificate}
		now := time.Now()
		cache := &renewdue.Cache{Dir: filepath.Join(t.TempDir(), "ari"), Fetcher: counting,
			Now: func() time.Time { return now }, Int63n: func(n int64) int64 { return n / 2 }}

		d, e, err := cache.Check(long)
		if err != nil || d.Due {
			t.Fatalf("default certificate just issued: %+v, %v", d, err)
		}
		// The point chosen is the window's middle (Int63n above), which for
		// Pebble's window is about the third-left point.
		if w := e.Window; !d.At.After(w.Start) || d.At.After(third) {
			t.Errorf("default certificate due at %v; window %v – %v, third left %v", d.At, w.Start, w.End, third)
		}
		if d.At.Sub(long.NotBefore) < 59*24*time.Hour {
			t.Errorf("a 90-day certificate due after only %v", d.At.Sub(long.NotBefore))
		}

		d, e, err = cache.Check(short)
		if err != nil || d.Due {
			t.Fatalf("short certificate just issued: %+v, %v", d, err)
		}
		// The middle of a window that is the whole lifetime comes before
		// the third-left point: ARI sets the time, minutes away.
		if d.Reason != renewdue.ByARI || d.At.Sub(short.NotBefore) > shortLived/2+time.Second {
			t.Errorf("short certificate: due at %v (%s), issued %v", d.At, d.Reason, short.NotBefore)
		}
		if !e.Point.Equal(d.At) {
			t.Errorf("decision at %v is not the stored point %v", d.At, e.Point)
		}
		if counting.calls != 2 {
			t.Errorf("%d ARI requests, want 2", counting.calls)
		}

		// Four minutes on (within Retry-After): the short one is due, the
		// long one not, and Pebble is not asked again.
		now = now.Add(4 * time.Minute)
		if d, _, err := cache.Check(short); err != nil || !d.Due {
			t.Errorf("short certificate after 4 of 5 minutes: %+v, %v", d, err)
		}
		if d, _, err := cache.Check(long); err != nil || d.Due {
			t.Errorf("long certificate after 4 minutes: %+v, %v", d, err)
		}
		if counting.calls != 2 {
			t.Errorf("cached answers were fetched again: %d requests", counting.calls)
		}
	})

	t.Run("replacement order", func(t *testing.T) {
		before := replacedMarks(t, s)
		id, err := certificate.MakeARICertID(long)
		if err != nil {
			t.Fatal(err)
		}
		next := obtain(t, client, certificate.ObtainRequest{Domains: []string{legoName}, Bundle: true, Profile: ProfileDefault, ReplacesCertID: id})
		if next.SerialNumber.Cmp(long.SerialNumber) == 0 {
			t.Fatal("replacement has the old serial")
		}
		if got := replacedMarks(t, s); got != before+1 {
			t.Errorf("Pebble marked %d orders as replacements, want %d", got-before, 1)
		}
		// Another account may not replace this account's certificate:
		// proof that the order really names the certificate it replaces.
		other := newLegoClient(t, s, dir)
		id, err = certificate.MakeARICertID(next)
		if err != nil {
			t.Fatal(err)
		}
		_, err = other.Certificate.Obtain(certificate.ObtainRequest{Domains: []string{legoName}, Bundle: true, Profile: ProfileDefault, ReplacesCertID: id})
		var pd *acme.ProblemDetails
		if !errors.As(err, &pd) || pd.Type != "urn:ietf:params:acme:error:unauthorized" {
			t.Errorf("replacement by another account: %v", err)
		}
	})

	t.Run("CA-set window (mass revocation)", func(t *testing.T) {
		start := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
		ari := fmt.Sprintf(`{"suggestedWindow":{"start":%q,"end":%q}}`,
			start.Format(time.RFC3339), start.Add(30*time.Minute).Format(time.RFC3339))
		if err := s.SetRenewalInfo(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: long.Raw}), ari); err != nil {
			t.Fatal(err)
		}
		cache := &renewdue.Cache{Dir: t.TempDir(), Fetcher: client.Certificate}
		d, e, err := cache.Check(long)
		if err != nil || !d.Due || d.Reason != renewdue.ByARI || !e.Window.Start.Equal(start) {
			t.Errorf("window in the past: %+v %+v %v", d, e, err)
		}
	})
}

// countingCertifier counts the ARI requests that reach Pebble.
type countingCertifier struct {
	inner renewdue.RenewalInfoFetcher
	calls int
}

func (c *countingCertifier) GetRenewalInfo(r certificate.RenewalInfoRequest) (*certificate.RenewalInfoResponse, error) {
	c.calls++
	return c.inner.GetRenewalInfo(r)
}

type legoUser struct {
	key crypto.PrivateKey
	reg *registration.Resource
}

func (u *legoUser) GetEmail() string                        { return "" }
func (u *legoUser) GetRegistration() *registration.Resource { return u.reg }
func (u *legoUser) GetPrivateKey() crypto.PrivateKey        { return u.key }

// newLegoClient registers a fresh account with the sandbox's Pebble and
// answers HTTP-01 through the webroot nginx serves.
func newLegoClient(t *testing.T, s *Sandbox, webrootDir string) *lego.Client {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	u := &legoUser{key: key}
	cfg := lego.NewConfig(u)
	cfg.CADirURL = s.CADirURL
	cfg.UserAgent = "httpsify-sandbox-test"
	cfg.Certificate.KeyType = certcrypto.EC256
	hc, err := s.pebbleClient(s.acmePort)
	if err != nil {
		t.Fatal(err)
	}
	hc.Timeout = 30 * time.Second
	cfg.HTTPClient = hc
	client, err := lego.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if u.reg, err = client.Registration.Register(registration.RegisterOptions{TermsOfServiceAgreed: true}); err != nil {
		t.Fatal(err)
	}
	p, err := webroot.NewHTTPProvider(webrootDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Challenge.SetHTTP01Provider(p); err != nil {
		t.Fatal(err)
	}
	return client
}

func obtain(t *testing.T, c *lego.Client, req certificate.ObtainRequest) *x509.Certificate {
	t.Helper()
	res, err := c.Certificate.Obtain(req)
	if err != nil {
		t.Fatalf("obtain (profile %q): %v", req.Profile, err)
	}
	leaf, err := certcrypto.ParsePEMCertificate(res.Certificate)
	if err != nil {
		t.Fatal(err)
	}
	return leaf
}

func renewalInfo(t *testing.T, c *lego.Client, leaf *x509.Certificate) *certificate.RenewalInfoResponse {
	t.Helper()
	ri, err := c.Certificate.GetRenewalInfo(certificate.RenewalInfoRequest{Cert: leaf})
	if err != nil {
		t.Fatal(err)
	}
	if w := ri.SuggestedWindow; !w.End.After(w.Start) {
		t.Fatalf("invalid window %v – %v", w.Start, w.End)
	}
	return ri
}

// replacedMarks counts Pebble's log lines for orders it recorded as
// replacing an earlier certificate.
func replacedMarks(t *testing.T, s *Sandbox) int {
	t.Helper()
	b, err := os.ReadFile(s.pebble.logFile)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "has been marked as replaced")
}

// serveWebroot adds a server block for legoName serving a webroot under
// the sandbox dir (nginx's workers can reach it) and reloads nginx.
func serveWebroot(t *testing.T, s *Sandbox) string {
	t.Helper()
	dir := filepath.Join(s.Dir, "lego-webroot")
	probe := filepath.Join(dir, ".well-known", "acme-challenge", "probe")
	if err := os.MkdirAll(filepath.Dir(probe), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(probe, []byte("ready"), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf("server {\n\tlisten %d;\n\tserver_name %s;\n\troot %s;\n}\n", s.HTTPPort, legoName, dir)
	if err := os.WriteFile(filepath.Join(s.Dir, "nginx", "conf.d", "lego-webroot.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	c := s.HTTPClient()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := c.Get("http://" + legoName + "/.well-known/acme-challenge/probe")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && string(body) == "ready" {
				return dir
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx does not serve the webroot for %s: %v", legoName, err)
		}
	}
}

// TestProfilesAdvertised: what Sandbox.Profiles says is what Pebble's
// directory offers, with and without a short-lived profile.
func TestProfilesAdvertised(t *testing.T) {
	for _, short := range []time.Duration{0, time.Minute} {
		s, err := Start(Options{Dir: t.TempDir(), BasePort: testBase(t), ShortLived: short})
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.pebbleClient(s.acmePort)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Get(s.CADirURL)
		if err != nil {
			t.Fatal(err)
		}
		var dir struct {
			Meta struct{ Profiles map[string]string } `json:"meta"`
		}
		err = json.NewDecoder(resp.Body).Decode(&dir)
		resp.Body.Close()
		s.Stop()
		if err != nil {
			t.Fatal(err)
		}
		var offered []string
		for name := range dir.Meta.Profiles {
			offered = append(offered, name)
		}
		slices.Sort(offered)
		if !slices.Equal(offered, s.Profiles) {
			t.Errorf("ShortLived %v: Pebble offers %q, Sandbox.Profiles says %q", short, offered, s.Profiles)
		}
	}
	if _, err := Start(Options{Dir: t.TempDir(), BasePort: testBase(t), ShortLived: 1500 * time.Millisecond}); err == nil {
		t.Error("a validity of 1.5s was accepted")
	}
}
