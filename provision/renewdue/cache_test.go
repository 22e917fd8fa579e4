package renewdue

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-acme/lego/v4/acme"
	"github.com/go-acme/lego/v4/acme/api"
	"github.com/go-acme/lego/v4/certificate"
)

// testCA issues leaves the way a CA does (with an authority key id), so
// MakeARICertID sees what it sees in production.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newTestCA(t testing.TB) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: day(-1000), NotAfter: day(1000), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, SubjectKeyId: []byte{1, 2, 3, 4},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{cert: cert, key: key}
}

func (ca *testCA) leaf(t testing.TB, serial int64, notBefore, notAfter time.Time) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial), DNSNames: []string{fmt.Sprintf("site%d.example.test", serial)},
		NotBefore: notBefore, NotAfter: notAfter,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &ca.key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// countingFetcher stands in for the CA in the cache's rule tests (the
// real Pebble answers are fed through in e2e/sandbox).
type countingFetcher struct {
	calls  int
	window Window
	retry  time.Duration
	err    error
}

func (f *countingFetcher) GetRenewalInfo(certificate.RenewalInfoRequest) (*certificate.RenewalInfoResponse, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	return &certificate.RenewalInfoResponse{
		RenewalInfoResponse: acme.RenewalInfoResponse{SuggestedWindow: acme.Window{Start: f.window.Start, End: f.window.End}},
		RetryAfter:          f.retry,
	}, nil
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newCache(t *testing.T, f RenewalInfoFetcher, c *clock) *Cache {
	return &Cache{Dir: filepath.Join(t.TempDir(), "ari"), Fetcher: f, Now: c.now,
		Int63n: func(n int64) int64 { return n / 2 }} // the window's middle
}

func TestCacheHonoursRetryAfter(t *testing.T) {
	ca := newTestCA(t)
	leaf := ca.leaf(t, 100, day(0), day(90))
	f := &countingFetcher{window: Window{day(50), day(52)}, retry: 6 * time.Hour}
	clk := &clock{day(10)}
	c := newCache(t, f, clk)

	d, e, err := c.Check(leaf)
	if err != nil || f.calls != 1 {
		t.Fatalf("first check: calls %d, err %v", f.calls, err)
	}
	if d.Due || d.Reason != ByARI || !d.At.Equal(day(51)) || !d.NextCheck.Equal(day(10).Add(6*time.Hour)) {
		t.Errorf("first check: %+v", d)
	}
	fi, err := os.Stat(c.fileFor(e.CertID))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("cache file: %v, %v", fi, err)
	}
	if fi, err := os.Stat(c.Dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("cache dir: %v, %v", fi, err)
	}

	clk.t = day(10).Add(5 * time.Hour)
	if _, _, err := c.Check(leaf); err != nil || f.calls != 1 {
		t.Errorf("within Retry-After: calls %d (want 1), err %v", f.calls, err)
	}
	// A new Cache value on the same dir (the next timer run) reads the file.
	c2 := newCache(t, f, clk)
	c2.Dir = c.Dir
	if _, _, err := c2.Check(leaf); err != nil || f.calls != 1 {
		t.Errorf("next run within Retry-After: calls %d (want 1), err %v", f.calls, err)
	}

	clk.t = day(10).Add(6 * time.Hour)
	f.window = Window{day(49), day(53)} // widened: the chosen point stays
	if _, e, err := c.Check(leaf); err != nil || f.calls != 2 || !e.Point.Equal(day(51)) {
		t.Errorf("after Retry-After: calls %d (want 2), point %v, err %v", f.calls, e.Point, err)
	}
	clk.t = clk.t.Add(6 * time.Hour)
	f.window = Window{day(20), day(22)} // moved earlier: chosen again
	d, e, err = c.Check(leaf)
	if err != nil || f.calls != 3 || !e.Point.Equal(day(21)) || !d.At.Equal(day(21)) {
		t.Errorf("moved window: calls %d, point %v, decision %+v, err %v", f.calls, e.Point, d, err)
	}
}

func TestCachePointChosenOnce(t *testing.T) {
	ca := newTestCA(t)
	leaf := ca.leaf(t, 7, day(0), day(90))
	f := &countingFetcher{window: Window{day(50), day(52)}, retry: time.Hour}
	clk := &clock{day(10)}
	c := &Cache{Dir: t.TempDir(), Fetcher: f, Now: clk.now} // real randomness
	_, first, err := c.Check(leaf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		clk.t = clk.t.Add(2 * time.Hour) // stale each time: refetched
		_, e, err := c.Check(leaf)
		if err != nil || !e.Point.Equal(first.Point) {
			t.Fatalf("refetch %d: point %v, first %v, err %v", i, e.Point, first.Point, err)
		}
	}
	if f.calls != 6 {
		t.Errorf("calls %d, want 6", f.calls)
	}
}

func TestRetryAfterBounds(t *testing.T) {
	ca := newTestCA(t)
	for _, c := range []struct{ retry, want time.Duration }{
		{0, DefaultRetryAfter}, {time.Second, MinRetryAfter}, {7 * 24 * time.Hour, MaxRetryAfter}, {90 * time.Minute, 90 * time.Minute},
	} {
		f := &countingFetcher{window: Window{day(50), day(52)}, retry: c.retry}
		clk := &clock{day(10)}
		_, e, err := newCache(t, f, clk).Check(ca.leaf(t, 5, day(0), day(90)))
		if err != nil || e.FreshUntil.Sub(e.FetchedAt) != c.want {
			t.Errorf("Retry-After %v: fresh for %v, want %v (err %v)", c.retry, e.FreshUntil.Sub(e.FetchedAt), c.want, err)
		}
	}
}

func TestClockSetBackRefetches(t *testing.T) {
	ca := newTestCA(t)
	leaf := ca.leaf(t, 9, day(0), day(90))
	f := &countingFetcher{window: Window{day(50), day(52)}, retry: 6 * time.Hour}
	clk := &clock{day(10)}
	c := newCache(t, f, clk)
	if _, _, err := c.Check(leaf); err != nil {
		t.Fatal(err)
	}
	clk.t = day(9) // set back a day: the stored answer is from "the future"
	if _, _, err := c.Check(leaf); err != nil || f.calls != 2 {
		t.Errorf("clock set back: calls %d, want 2 (err %v)", f.calls, err)
	}
}

func TestNoARI(t *testing.T) {
	ca := newTestCA(t)
	leaf := ca.leaf(t, 11, day(0), day(90))
	f := &countingFetcher{err: fmt.Errorf("get: %w", api.ErrNoARI)}
	clk := &clock{day(10)}
	c := newCache(t, f, clk)
	d, e, err := c.Check(leaf)
	if err != nil || !e.NoARI || d.Due || d.Reason != ByLifetime || !d.At.Equal(day(60)) {
		t.Fatalf("no ARI: %+v %+v %v", d, e, err)
	}
	if !d.NextCheck.Equal(day(11)) {
		t.Errorf("no ARI: next check %v, want a day later", d.NextCheck)
	}
	clk.t = day(10.5)
	if _, _, err := c.Check(leaf); err != nil || f.calls != 1 {
		t.Errorf("no ARI remembered: calls %d, err %v", f.calls, err)
	}
}

func TestFetchFailureFallsBack(t *testing.T) {
	ca := newTestCA(t)
	leaf := ca.leaf(t, 12, day(0), day(90))
	f := &countingFetcher{window: Window{day(30), day(32)}, retry: time.Hour}
	clk := &clock{day(10)}
	c := newCache(t, f, clk)
	if _, _, err := c.Check(leaf); err != nil {
		t.Fatal(err)
	}
	clk.t = day(31.5) // stale, and past the stored point
	f.err = errors.New("connection refused")
	d, _, err := c.Check(leaf)
	var fe *FetchError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v, want *FetchError", err)
	}
	if !d.Due || d.Reason != ByARI {
		t.Errorf("stale answer not used on failure: %+v", d)
	}
	// Without any stored answer the lifetime rule decides.
	d, _, err = newCache(t, f, clk).Check(leaf)
	if !errors.As(err, &fe) || d.Due || d.Reason != ByLifetime {
		t.Errorf("no stored answer: %+v, %v", d, err)
	}
}

func TestInvalidWindowRejected(t *testing.T) {
	ca := newTestCA(t)
	f := &countingFetcher{window: Window{day(52), day(50)}, retry: time.Hour}
	c := newCache(t, f, &clock{day(10)})
	d, _, err := c.Check(ca.leaf(t, 13, day(0), day(90)))
	var iw *InvalidWindowError
	if !errors.As(err, &iw) || d.Reason != ByLifetime {
		t.Errorf("inverted window: %+v, %v", d, err)
	}
	if entries, _ := os.ReadDir(c.Dir); len(entries) != 0 {
		t.Errorf("invalid answer stored: %v", entries)
	}
}

func TestDueByLifetimeAsksNothing(t *testing.T) {
	ca := newTestCA(t)
	f := &countingFetcher{err: errors.New("must not be called")}
	c := newCache(t, f, &clock{day(61)})
	d, _, err := c.Check(ca.leaf(t, 14, day(0), day(90)))
	if err != nil || !d.Due || f.calls != 0 {
		t.Errorf("a third left: %+v, calls %d, err %v", d, f.calls, err)
	}
}

func TestPlantedLinkRefused(t *testing.T) {
	ca := newTestCA(t)
	leaf := ca.leaf(t, 15, day(0), day(90))
	f := &countingFetcher{window: Window{day(50), day(52)}, retry: time.Hour}
	c := newCache(t, f, &clock{day(10)})
	id, _ := certificate.MakeARICertID(leaf)
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", c.fileFor(id)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Check(leaf); err == nil || f.calls != 0 {
		t.Errorf("link at the entry's path: err %v, calls %d", err, f.calls)
	}
}

func TestLazyBuildsOnlyWhenFetching(t *testing.T) {
	ca := newTestCA(t)
	leaf := ca.leaf(t, 16, day(0), day(90))
	inner := &countingFetcher{window: Window{day(50), day(52)}, retry: time.Hour}
	built := 0
	clk := &clock{day(10)}
	c := newCache(t, Lazy(func() (RenewalInfoFetcher, error) { built++; return inner, nil }), clk)
	if _, _, err := c.Check(leaf); err != nil || built != 1 {
		t.Fatalf("first check: built %d, err %v", built, err)
	}
	c2 := newCache(t, Lazy(func() (RenewalInfoFetcher, error) { built++; return inner, nil }), clk)
	c2.Dir = c.Dir
	if _, _, err := c2.Check(leaf); err != nil || built != 1 {
		t.Errorf("cached: the client was built (%d), err %v", built, err)
	}
}
