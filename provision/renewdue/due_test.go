package renewdue

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func day(n float64) time.Time { return t0.Add(time.Duration(n * 24 * float64(time.Hour))) }

func TestThirdLeft(t *testing.T) {
	if got := (Lifetime{day(0), day(90)}).ThirdLeft(); !got.Equal(day(60)) {
		t.Errorf("90-day certificate: third left at %v, want day 60", got)
	}
	// Let's Encrypt's 6-day certificates: 4 days in.
	if got := (Lifetime{day(0), day(6)}).ThirdLeft(); !got.Equal(day(4)) {
		t.Errorf("6-day certificate: third left at %v, want day 4", got)
	}
}

func TestDecide(t *testing.T) {
	life := Lifetime{NotBefore: day(0), NotAfter: day(90)}
	for _, c := range []struct {
		name         string
		life         Lifetime
		point, stale time.Time
		now          time.Time
		due          bool
		at, next     time.Time
		reason       Reason
	}{
		{name: "no ARI, young", life: life, now: day(10), at: day(60), next: day(60), reason: ByLifetime},
		{name: "no ARI, a third left", life: life, now: day(60), due: true, at: day(60), next: day(60), reason: ByLifetime},
		{name: "no ARI, expired", life: life, now: day(100), due: true, at: day(60), next: day(100), reason: ByLifetime},
		{name: "ARI earlier than a third, before it", life: life, point: day(30), stale: day(10.25), now: day(10), at: day(30), next: day(10.25), reason: ByARI},
		{name: "ARI earlier than a third, reached", life: life, point: day(30), stale: day(31), now: day(30), due: true, at: day(30), next: day(30), reason: ByARI},
		{name: "ARI later than a third never delays", life: life, point: day(70), stale: day(61), now: day(60), due: true, at: day(60), next: day(60), reason: ByLifetime},
		{name: "ARI later than a third, before both", life: life, point: day(70), stale: day(80), now: day(20), at: day(60), next: day(60), reason: ByLifetime},
		{name: "ARI point past expiry", life: life, point: day(95), stale: day(96), now: day(61), due: true, at: day(60), next: day(61), reason: ByLifetime},
		{name: "mass revocation: window now", life: life, point: day(10), stale: day(10.1), now: day(10.01), due: true, at: day(10), next: day(10.01), reason: ByARI},
		{name: "stale answer already past: check now", life: life, point: day(50), stale: day(5), now: day(10), at: day(50), next: day(10), reason: ByARI},
		// Clock skew: our clock behind the CA's (now before NotBefore).
		{name: "clock behind: not due", life: life, now: day(-0.5), at: day(60), next: day(60), reason: ByLifetime},
		// The CA's clock ahead put its whole window in our past: due now.
		{name: "window in our past", life: life, point: day(-1), stale: day(1), now: day(0), due: true, at: day(-1), next: day(0), reason: ByARI},
		{name: "shortlived 5 min", life: Lifetime{t0, t0.Add(5 * time.Minute)}, point: t0.Add(4 * time.Minute), now: t0.Add(3 * time.Minute), at: t0.Add(200 * time.Second), next: t0.Add(200 * time.Second), reason: ByLifetime},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := Decide(c.life, c.point, c.stale, c.now)
			if d.Due != c.due || !d.At.Equal(c.at) || !d.NextCheck.Equal(c.next) || d.Reason != c.reason {
				t.Errorf("got due=%v at=%v next=%v reason=%s\nwant due=%v at=%v next=%v reason=%s",
					d.Due, d.At, d.NextCheck, d.Reason, c.due, c.at, c.next, c.reason)
			}
		})
	}
}

func TestChoosePointUniformInsideWindow(t *testing.T) {
	w := Window{Start: day(59), End: day(61)}
	if p := ChoosePoint(w, func(int64) int64 { return 0 }); !p.Equal(w.Start) {
		t.Errorf("lowest draw: %v, want window start", p)
	}
	if p := ChoosePoint(w, func(n int64) int64 { return n - 1 }); !p.Before(w.End) || p.Before(w.Start) {
		t.Errorf("highest draw: %v, not inside the window", p)
	}
	if p := ChoosePoint(Window{Start: day(5), End: day(5)}, nil); !p.Equal(day(5)) {
		t.Errorf("empty window: %v", p)
	}
	// Real randomness spreads over the window: 8 equal bins, 800 draws.
	var bins [8]int
	for range 800 {
		p := ChoosePoint(w, (&Cache{}).int63n())
		if p.Before(w.Start) || !p.Before(w.End) {
			t.Fatalf("point %v outside %v", p, w)
		}
		bins[int(p.Sub(w.Start)*8/w.End.Sub(w.Start))]++
	}
	for i, n := range bins {
		if n < 50 { // mean 100; below 50 is beyond 5 sigma
			t.Errorf("bin %d has %d of 800 draws: %v", i, n, bins)
		}
	}
}
