package nginx

import (
	"context"
	"github.com/httpsify/httpsify/provision/dnschallenge"
	"path/filepath"
	"strings"
	"testing"
)

// A DNS-01 certificate for example.test and *.example.test on a site that
// answers example.test: the site's own server_name line gets the wildcard
// appended, everything else on it stays, no challenge edit is planned, and
// a rerun over the result changes nothing.
func TestPlanWildcardJoinsServerName(t *testing.T) {
	site := strings.ReplaceAll(classicSite, "server_name www.example.test;", "server_name example.test; # the apex")
	tr := newTree(t, site)
	s := tr.settings(t, Options{Domains: []string{"*.example.test", "example.test"}, Challenge: "dns-01",
		DNSProvider: "manual", DNSResolvers: []string{"127.0.0.1:53"}, DNSAsk: func(ctx context.Context, r []dnschallenge.Record) error { return nil }})
	p, err := BuildPlan(tr.detection(t), s)
	if err != nil {
		t.Fatal(err)
	}
	if d := p.Describe(false); !strings.Contains(d, "DNS-01: TXT records you create by hand") || strings.Contains(d, "HTTP-01") {
		t.Errorf("the plan's description:\n%s", d)
	}
	if len(p.ChallengeEdits()) != 0 {
		t.Errorf("DNS-01 planned a challenge edit: %+v", p.ChallengeEdits())
	}
	f := fileIn(p, filepath.Join(tr.dir, "sites-enabled/app"))
	if f == nil || !strings.Contains(string(f.Content), "server_name example.test *.example.test; # the apex") {
		t.Fatalf("site:\n%s", f.Content)
	}
	for _, f := range p.Files {
		rel, _ := filepath.Rel(tr.dir, f.Shown)
		tr.files[rel] = string(f.Content)
	}
	p2, err := BuildPlan(tr.detection(t), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(p2.Files) != 0 {
		t.Errorf("rerun would change %d files", len(p2.Files))
	}
}
