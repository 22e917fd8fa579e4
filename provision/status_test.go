package provision

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-acme/lego/v4/certificate"

	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/internal/testcert"
	"github.com/httpsify/httpsify/provision/renewdue"
	"github.com/httpsify/httpsify/provision/statedir"
)

// managedSite makes a state dir with one site: its request and a 90-day
// certificate linked in.
func managedSite(t *testing.T, name string) statedir.Layout {
	t.Helper()
	s, err := Options{Domains: []string{name}, Upstream: "127.0.0.1:8000", CA: "https://ca.test/dir", AgreeTOS: true, StateDir: t.TempDir()}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	l := s.Layout()
	if err := SaveRequest(l, &s.Request); err != nil {
		t.Fatal(err)
	}
	ver, err := certstore.Stage(l.Archive(name), testcert.Bundle(t, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(l.LiveRoot(), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(ver, l.Live(name)); err != nil {
		t.Fatal(err)
	}
	return l
}

func kinds(ws []Warning) map[WarningKind]bool {
	out := map[WarningKind]bool{}
	for _, w := range ws {
		out[w.Kind] = true
	}
	return out
}

// A healthy site needs nothing; its next renewal is the lifetime rule's,
// or the time chosen in a cached ARI window when that is earlier, read
// without any fetcher (no network).
func TestStatusNextRenewalFromCachedARI(t *testing.T) {
	name := "www.example.test"
	l := managedSite(t, name)
	now := time.Now()
	st, err := Statuses(l, "", now)
	if err != nil || len(st) != 1 {
		t.Fatalf("Statuses = %v, %v", st, err)
	}
	leaf, _ := certstore.ReadLive(l.Live(name))
	if s := st[0]; s.Attention || len(s.Warnings) != 0 || s.RenewalRule != "lifetime" || !s.NextRenewal.Equal(RenewAt(leaf)) || s.Source != CertSourceACME || s.CA != "https://ca.test/dir" {
		t.Fatalf("healthy site: %+v", s)
	}
	id, err := certificate.MakeARICertID(leaf)
	if err != nil {
		t.Fatal(err)
	}
	point := now.Add(20 * 24 * time.Hour).Truncate(time.Second)
	c := &renewdue.Cache{Dir: RenewalInfoDir(l)}
	if err := c.Store(&renewdue.Entry{CertID: id, Window: &renewdue.Window{Start: point.Add(-time.Hour), End: point.Add(time.Hour)}, Point: point, FetchedAt: now, FreshUntil: now.Add(6 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	st, _ = Statuses(l, name, now)
	if s := st[0]; s.RenewalRule != "ari" || !s.NextRenewal.Equal(point) || s.RenewalDue {
		t.Fatalf("with a cached ARI answer: rule %s, next %v, want ari at %v", s.RenewalRule, s.NextRenewal, point)
	}
}

// The record: a failed renewal needs attention; a run that changed
// nothing keeps the way back (Change) and the config file.
func TestStatusRecordedRuns(t *testing.T) {
	name := "www.example.test"
	l := managedSite(t, name)
	if err := SaveSiteRecord(l, name, SiteRecord{Action: RunApply, OK: true, Change: "20261201-000000.000000000-abcdef01", ConfigFile: "/etc/nginx/sites-enabled/app"}); err != nil {
		t.Fatal(err)
	}
	if err := SaveSiteRecord(l, name, SiteRecord{Action: RunRenew, Error: "the CA said no"}); err != nil {
		t.Fatal(err)
	}
	rec, err := LoadSiteRecord(l, name)
	if err != nil || rec.Change != "20261201-000000.000000000-abcdef01" || rec.ConfigFile != "/etc/nginx/sites-enabled/app" {
		t.Fatalf("record after a run that changed nothing: %+v, %v", rec, err)
	}
	st, _ := Statuses(l, "", time.Now())
	if s := st[0]; !s.Attention || !kinds(s.Warnings)[WarnRenewalFailing] || s.LastRun.Action != RunRenew || s.ConfigFile != "/etc/nginx/sites-enabled/app" {
		t.Fatalf("failed renewal: %+v", s)
	}
	// 80 days on, the 90-day certificate has 10 left.
	st, _ = Statuses(l, "", time.Now().Add(80*24*time.Hour))
	if k := kinds(st[0].Warnings); !k[WarnExpiresSoon] || !st[0].RenewalDue {
		t.Fatalf("10 days before expiry: %+v", st[0])
	}
	if _, err := Statuses(l, "other.example.test", time.Now()); err == nil {
		t.Fatal("an unknown site was not refused")
	}
}

// An uploaded certificate (the request says so): no CA shown, and the
// warning that httpsify cannot renew it, needing attention once it is due.
func TestStatusUploadedCannotRenew(t *testing.T) {
	name := "www.example.test"
	l := managedSite(t, name)
	b, err := os.ReadFile(l.Request(name))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	raw["cert_source"], raw["cert_file"], raw["key_file"] = "uploaded", filepath.Join(l.Live(name), "cert.pem"), filepath.Join(l.Live(name), "privkey.pem")
	if b, err = json.Marshal(raw); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(l.Request(name), b, 0o600); err != nil {
		t.Fatal(err)
	}
	st, _ := Statuses(l, "", time.Now())
	if s := st[0]; s.Source != CertSourceUploaded || s.CA != "" || !kinds(s.Warnings)[WarnCannotRenew] || s.Attention {
		t.Fatalf("fresh uploaded certificate: %+v", s)
	}
	st, _ = Statuses(l, "", time.Now().Add(70*24*time.Hour))
	if s := st[0]; !kinds(s.Warnings)[WarnCannotRenew] || !s.Attention {
		t.Fatalf("uploaded certificate due for renewal: %+v", s)
	}
}
