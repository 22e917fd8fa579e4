package provision

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/httpsify/httpsify/provision/statedir"
)

func TestRenewRecordsMergeAndKeepLastSuccess(t *testing.T) {
	l := statedir.Layout(t.TempDir())
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ok := &RenewRecord{LastRun: t0, Result: OutcomeRenewed, LastSuccess: t0}
	other := &RenewRecord{LastRun: t0, Result: OutcomeNotDue, LastSuccess: t0}
	if err := SaveRenewRecords(l, map[string]*RenewRecord{"a.example": ok, "b.example": other}); err != nil {
		t.Fatal(err)
	}
	t1 := t0.Add(12 * time.Hour)
	failed := &RenewRecord{LastRun: t1, Result: OutcomeFailed, Error: "nginx -t failed"}
	if err := SaveRenewRecords(l, map[string]*RenewRecord{"a.example": failed}); err != nil {
		t.Fatal(err)
	}
	got, err := LoadRenewRecords(l)
	if err != nil {
		t.Fatal(err)
	}
	a := got["a.example"]
	if a == nil || a.Result != OutcomeFailed || a.Error != "nginx -t failed" || !a.LastRun.Equal(t1) {
		t.Fatalf("a.example = %+v, want the failure of the second run", a)
	}
	if !a.LastSuccess.Equal(t0) {
		t.Errorf("a.example's last success = %v, want %v kept from the first run", a.LastSuccess, t0)
	}
	if b := got["b.example"]; b == nil || b.Result != OutcomeNotDue {
		t.Errorf("b.example = %+v, want kept as not-due (it was not run)", b)
	}
	fi, err := os.Stat(l.Renewals())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestRenewRecordsRefuseALink(t *testing.T) {
	dir := t.TempDir()
	l := statedir.Layout(dir)
	planted := filepath.Join(dir, "elsewhere.json")
	os.WriteFile(planted, []byte(`{"version":1,"sites":{}}`), 0o600)
	if err := os.Symlink(planted, l.Renewals()); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadRenewRecords(l); err == nil {
		t.Fatal("a symbolic link in place of renewals.json was read")
	}
}

func TestRenewRecordsAbsentIsEmpty(t *testing.T) {
	got, err := LoadRenewRecords(statedir.Layout(t.TempDir()))
	if err != nil || len(got) != 0 {
		t.Fatalf("got %v, %v; want none", got, err)
	}
}

func TestSiteRenewalRecord(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	r := SiteRenewal{Primary: "a.example", Outcome: OutcomeFailed, Err: errors.New("the CA did not issue")}.record(at)
	if r.Result != OutcomeFailed || r.Error != "the CA did not issue" || !r.LastSuccess.IsZero() || !r.LastRun.Equal(at) {
		t.Errorf("failed record = %+v", r)
	}
	r = SiteRenewal{Primary: "a.example", Outcome: OutcomeNotDue}.record(at)
	if r.Result != OutcomeNotDue || r.Error != "" || !r.LastSuccess.Equal(at) {
		t.Errorf("not-due record = %+v", r)
	}
}

func TestRenewOptionsValidated(t *testing.T) {
	for _, tc := range []struct {
		o     Options
		field string
	}{
		{Options{Domains: []string{"a.example"}, ACMEProfile: "Short Lived"}, FlagACMEProfile},
		{Options{Domains: []string{"a.example"}, ACMEProfile: "x\n"}, FlagACMEProfile},
		{Options{Domains: []string{"a.example"}, DeployHook: "systemctl reload postfix\nrm -rf /"}, FlagDeployHook},
		{Options{Domains: []string{"a.example"}, DeployHook: "   "}, FlagDeployHook},
	} {
		_, err := tc.o.Validate()
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%+v: err %v, want a FieldError for --%s", tc.o, err, tc.field)
		}
	}
	s, err := Options{Domains: []string{"a.example"}, ACMEProfile: "shortlived", DeployHook: "systemctl reload postfix"}.Validate()
	if err != nil || s.ACMEProfile != "shortlived" || s.DeployHook != "systemctl reload postfix" {
		t.Fatalf("valid options: %v, %+v", err, s)
	}
}

func TestRequestStoresProfileHookAndHost(t *testing.T) {
	dir := t.TempDir()
	s, err := Options{
		Domains: []string{"a.example"}, StateDir: dir, ACMEProfile: "shortlived", DeployHook: "touch /tmp/x",
		NginxConf: "/opt/nginx/nginx.conf", NginxBin: "/opt/nginx/sbin/nginx", HTTPPort: 8080, HTTPSPort: 8443, ChallengeDir: "/srv/acme",
	}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if err := SaveRequest(s.Layout(), s.withHost()); err != nil {
		t.Fatal(err)
	}
	got, err := LoadSite(s.Layout(), "a.example")
	if err != nil {
		t.Fatal(err)
	}
	if got.Host != s.Host {
		t.Errorf("host = %+v, want %+v", got.Host, s.Host)
	}
	if got.ACMEProfile != "shortlived" || got.DeployHook != "touch /tmp/x" {
		t.Errorf("profile %q, hook %q", got.ACMEProfile, got.DeployHook)
	}
}
