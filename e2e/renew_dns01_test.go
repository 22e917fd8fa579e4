package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A wildcard + apex site applied through RFC 2136 renews with no DNS flag
// and no credential in the environment: renew takes the provider, the
// 0600 credentials copy, the resolvers and the NS port from the state
// dir (the file apply was given is gone by then). A new leaf is served for
// both names and no TXT record is left. A site stored with manual DNS then
// fails renewal, saying why, and keeps serving its certificate.
func TestRenewDNS01UsesStoredProvider(t *testing.T) {
	sb := newDNSSandbox(t)
	creds := filepath.Join(t.TempDir(), "rfc2136.env")
	if err := os.WriteFile(creds, []byte(strings.Join(rfc2136Env(sb), "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, code := run(t, dnsApplyArgs(sb, "rfc2136", "--dns-credentials", creds, "--schedule", "none")...); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	if err := os.Remove(creds); err != nil {
		t.Fatal(err)
	}
	for _, kv := range rfc2136Env(sb) {
		if _, ok := os.LookupEnv(strings.SplitN(kv, "=", 2)[0]); ok {
			t.Fatalf("%s is in the test's environment", kv)
		}
	}
	names := []string{"example.test", "anything.example.test"}
	before := map[string]string{}
	for _, n := range names {
		before[n] = servedSerial(t, sb, n)
	}

	out, code := run(t, "renew", "--force", "--state-dir", sb.StateDir)
	if code != 0 {
		t.Fatalf("renew exited %d:\n%s", code, out)
	}
	if !strings.Contains(out, "is on every authoritative server") {
		t.Errorf("renew did not check propagation on the zone's server:\n%s", out)
	}
	if strings.Contains(out, sb.BIND.KeySecret) {
		t.Errorf("renew printed the TSIG secret:\n%s", out)
	}
	for _, n := range names {
		if got := servedSerial(t, sb, n); got == before[n] {
			t.Errorf("%s still served serial %s after renew", n, got)
		}
		got := servedNames(t, sb, n)
		if !slices.Contains(got, "*.example.test") || !slices.Contains(got, "example.test") {
			t.Errorf("%s is served a certificate for %v after renew", n, got)
		}
	}
	if vals, err := sb.BIND.TXT("_acme-challenge.example.test."); err != nil || len(vals) != 0 {
		t.Errorf("TXT left in the zone after renew: %q %v", vals, err)
	}

	// The same site as a manual DNS-01 one (what apply --dns-provider
	// manual stores): renew cannot ask anyone for the records.
	editStoredRequest(t, sb, func(m map[string]any) {
		m["dns_provider"] = "manual"
		delete(m, "dns_credentials_file")
	})
	served := servedSerial(t, sb, "example.test")
	out, code = run(t, "renew", "--force", "--state-dir", sb.StateDir)
	if code != 1 || !strings.Contains(out, "manual DNS") || !strings.Contains(out, "cannot renew unattended") {
		t.Errorf("renew of a manual DNS-01 site exited %d:\n%s", code, out)
	}
	if rec := loadRenewRecord(t, sb); rec.Result != "failed" || !strings.Contains(rec.Error, "cannot renew unattended") {
		t.Errorf("renewals.json records %+v", rec)
	}
	if got := servedSerial(t, sb, "example.test"); got != served {
		t.Errorf("the failed renewal changed the served certificate")
	}

	// Any of the site's names finds it (it is stored as example.test):
	// status and rollback take the wildcard as --domain, and rollback puts
	// the certificate from before the renewal back.
	if st, raw, code := statusOf(t, "--state-dir", sb.StateDir, "--domain", "*.example.test"); len(st.Sites) != 1 || st.Sites[0].Name != "example.test" {
		t.Errorf("status --domain '*.example.test' exited %d:\n%s", code, raw)
	}
	out, code = run(t, append([]string{"rollback", "--domain", "*.example.test", "--yes"}, hostArgs(sb)...)...)
	if code != 0 {
		t.Fatalf("rollback --domain '*.example.test' exited %d:\n%s", code, out)
	}
	if got := servedSerial(t, sb, "example.test"); got != before["example.test"] {
		t.Errorf("after rollback example.test serves serial %s, want the one from before the renewal %s", got, before["example.test"])
	}
}
