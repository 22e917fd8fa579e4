package provision

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/httpsify/httpsify/provision/certbot"
)

// An adopted site's status names the lineage and says whether certbot's
// own renewal of it is on, off (renamed by httpsify) or unknown (certbot's
// directory cannot be trusted).
func TestStatusOfAnAdoptedCertbotLineage(t *testing.T) {
	name := "www.example.test"
	l := managedSite(t, name)
	le := filepath.Join(t.TempDir(), "letsencrypt")
	conf := filepath.Join(le, "renewal", name+".conf")
	if err := os.MkdirAll(filepath.Dir(conf), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(le, 0o755)
	if err := os.WriteFile(conf, []byte("version = 2.1.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	req, err := LoadRequest(l, name)
	if err != nil {
		t.Fatal(err)
	}
	req.CertSource, req.CertbotDir, req.CertbotLineage = SourceCertbot, le, name
	if err := SaveRequest(l, req); err != nil {
		t.Fatal(err)
	}
	check := func(renewal string) {
		t.Helper()
		st, err := Statuses(l, "", time.Now())
		if err != nil || len(st) != 1 {
			t.Fatalf("Statuses = %v, %v", st, err)
		}
		s := st[0]
		if s.Source != CertSourceCertbot || s.CertbotLineage != name || s.CertbotRenewal != renewal || s.CA == "" {
			t.Errorf("status %+v, want certbot lineage %s, certbot's renewal %s, the CA renewing it", s, name, renewal)
		}
		if kinds(s.Warnings)[WarnCannotRenew] {
			t.Errorf("an adopted lineage is reported as one httpsify cannot renew: %+v", s.Warnings)
		}
	}
	check(CertbotRenewalOn)
	if err := os.Rename(conf, conf+certbot.DisabledSuffix); err != nil {
		t.Fatal(err)
	}
	check(CertbotRenewalOff)
	os.Chmod(le, 0o777)
	check(CertbotRenewalUnknown)
}
