package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/faultproxy"
)

// The CA misbehaving at the worst moments: the run fails with a message
// that says what the CA did, every nginx file is byte for byte as before,
// no certificate is half installed, the old site keeps serving, and once
// the CA is well again a plain rerun finishes.
func TestApplyCAFaults(t *testing.T) {
	cases := []struct {
		name string
		rule faultproxy.Rule
		want []string // all must appear in the output
	}{
		{"500 on new-order", faultproxy.Rule{Path: faultproxy.PathNewOrder, Kind: faultproxy.Status500},
			[]string{"the CA did not issue the certificate", "500", "server error", "nothing was changed"}},
		{"500 on finalize", faultproxy.Rule{Path: faultproxy.PathFinalize, Kind: faultproxy.Status500},
			[]string{"the CA did not issue the certificate", "500", "server error", "nothing was changed"}},
		{"500 on the directory", faultproxy.Rule{Path: faultproxy.PathDirectory, Kind: faultproxy.Status500},
			[]string{"cannot reach the CA", "500"}},
		{"rate limited on new-order", faultproxy.Rule{Path: faultproxy.PathNewOrder, Kind: faultproxy.RateLimit},
			[]string{"rateLimited", "rate limit", "wait before retrying"}},
		// lego's HTTP client gives up after 30 s: the slowest case here.
		{"no answer to finalize", faultproxy.Rule{Path: faultproxy.PathFinalize, Kind: faultproxy.Hang},
			[]string{"the CA did not issue the certificate", "Timeout", "did not answer in time"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			sb := newSandbox(t)
			proxy, args := startProxy(t, sb, c.rule)
			before := snapshot(t, sb)

			out, code := run(t, append([]string{"apply"}, args...)...)
			if code != 1 {
				t.Fatalf("exit %d, want 1:\n%s", code, out)
			}
			if proxy.Faults() == 0 {
				t.Fatalf("the fault was never injected:\n%s", out)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			requireSameFiles(t, before, snapshot(t, sb))
			requireNoCertificate(t, sb)
			requireNginxTest(t, sb)
			requireOldSiteServes(t, sb)

			// The CA is well again: the same command finishes.
			proxy.SetRules()
			out, code = run(t, append([]string{"apply"}, args...)...)
			if code != 0 {
				t.Fatalf("rerun after the fault exited %d:\n%s", code, out)
			}
			roots, err := sb.IssuerRoots()
			if err != nil {
				t.Fatal(err)
			}
			if s, why := classify(sb, roots, 5*time.Second); s != servedNew {
				t.Fatalf("after the rerun the site is %s: %s", s, why)
			}
		})
	}
}
