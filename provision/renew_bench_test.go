package provision

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-acme/lego/v4/certificate"

	"github.com/httpsify/httpsify/provision/renewdue"
	"github.com/httpsify/httpsify/provision/statedir"
)

// BenchmarkRenewNothingDue is `httpsify renew` with nothing due for 1,
// 100 and 1000 managed sites (synthetic state: a stored request, a
// certificate version and a fresh ARI answer each): every site's request
// read and validated again, its certificate parsed, its ARI answer read,
// and the outcome recorded (one write). The stored CA is a dead port, so
// any network use fails the benchmark.
func BenchmarkRenewNothingDue(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("sites%d", n), func(b *testing.B) {
			l := syntheticSites(b, n)
			run := RenewRun{Layout: l}
			b.ReportAllocs()
			for b.Loop() {
				res, err := run.Renew(context.Background(), nil, func(Event) {})
				if err != nil || len(res) != n {
					b.Fatalf("%d results, %v", len(res), err)
				}
				for _, r := range res {
					if r.Outcome != OutcomeNotDue || r.Check.ARIErr != nil {
						b.Fatalf("%s: %s %v %v", r.Primary, r.Outcome, r.Err, r.Check.ARIErr)
					}
				}
			}
		})
	}
}

// stubFetcher answers every ARI request with a window well ahead.
type stubFetcher struct{ start time.Time }

func (f stubFetcher) GetRenewalInfo(certificate.RenewalInfoRequest) (*certificate.RenewalInfoResponse, error) {
	r := &certificate.RenewalInfoResponse{RetryAfter: 6 * time.Hour}
	r.SuggestedWindow.Start, r.SuggestedWindow.End = f.start, f.start.Add(48*time.Hour)
	return r, nil
}

func syntheticSites(b *testing.B, n int) statedir.Layout {
	b.Helper()
	dir := b.TempDir()
	l := statedir.Layout(dir)
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bench CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour)}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		b.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cache := &renewdue.Cache{Dir: l.RenewalInfo(), Fetcher: stubFetcher{start: time.Now().Add(50 * 24 * time.Hour)}}
	for i := range n {
		name := fmt.Sprintf("site%04d.example.com", i)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(100 + i)), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(90 * 24 * time.Hour)}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &leafKey.PublicKey, caKey)
		if err != nil {
			b.Fatal(err)
		}
		version := filepath.Join(l.Archive(name), "0001")
		os.MkdirAll(version, 0o700)
		chain := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})...)
		if err := os.WriteFile(filepath.Join(version, "fullchain.pem"), chain, 0o600); err != nil {
			b.Fatal(err)
		}
		os.MkdirAll(l.LiveRoot(), 0o755)
		if err := os.Symlink(version, l.Live(name)); err != nil {
			b.Fatal(err)
		}
		s, err := Options{Domains: []string{name}, StateDir: dir, Email: "me@example.com", AgreeTOS: true,
			CA: "https://127.0.0.1:1/dir", Upstream: "127.0.0.1:8000"}.Validate()
		if err != nil {
			b.Fatal(err)
		}
		if err := SaveRequest(l, s.withHost()); err != nil {
			b.Fatal(err)
		}
		leaf, _ := x509.ParseCertificate(der)
		if d, _, err := cache.Check(leaf); err != nil || d.Due {
			b.Fatalf("filling the ARI cache: %+v %v", d, err)
		}
	}
	return l
}
