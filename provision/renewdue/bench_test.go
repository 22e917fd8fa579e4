package renewdue

import (
	"crypto/x509"
	"errors"
	"testing"
	"time"
)

// BenchmarkCheck1000Cached is `httpsify renew` with nothing due for 1000
// sites: each op checks all 1000 against their stored ARI answers (read
// and parsed from disk), and the CA is never asked.
func BenchmarkCheck1000Cached(b *testing.B) {
	ca := newTestCA(b)
	leaves := make([]*x509.Certificate, 1000)
	for i := range leaves {
		leaves[i] = ca.leaf(b, int64(1000+i), day(0), day(90))
	}
	clk := &clock{day(10)}
	fill := &countingFetcher{window: Window{day(50), day(52)}, retry: 6 * time.Hour}
	c := &Cache{Dir: b.TempDir(), Fetcher: fill, Now: clk.now}
	for _, l := range leaves {
		if _, _, err := c.Check(l); err != nil {
			b.Fatal(err)
		}
	}
	offline := &countingFetcher{err: errors.New("network used")}
	c.Fetcher = offline
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range leaves {
			d, _, err := c.Check(l)
			if err != nil || d.Due {
				b.Fatalf("%+v, %v", d, err)
			}
		}
	}
	if offline.calls != 0 {
		b.Fatalf("the CA was asked %d times", offline.calls)
	}
}
