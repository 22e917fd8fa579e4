package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/e2e/tlsgrade"
)

// The site httpsify configured, graded by sslscan from outside: TLS 1.2
// and 1.3 only (although the sandbox's nginx.conf starts with Debian's
// `ssl_protocols TLSv1 TLSv1.1 ...`), only AEAD suites with ECDHE, and a
// chain that verifies to Pebble's root from what nginx sends.
func TestTLSGradeOfTheConfiguredSite(t *testing.T) {
	sb := newSandbox(t)
	out, code := run(t, append([]string{"apply"}, sb.ApplyArgs()...)...)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	roots, err := sb.IssuerRoots()
	if err != nil {
		t.Fatal(err)
	}
	r, err := tlsgrade.Scan(context.Background(), sb.HTTPSPort, sb.Domain, roots)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: protocols %v, %d suites, chain of %d, groups %v", r.Tool, r.Offered(), len(r.Ciphers), r.ChainSent, r.Groups)
	if p := r.Problems(); len(p) > 0 {
		t.Fatalf("the configured site fails the TLS grade:\n  %s", strings.Join(p, "\n  "))
	}
	if r.ChainSent < 2 {
		t.Errorf("nginx sent %d certificate(s); the intermediate is missing", r.ChainSent)
	}
}
