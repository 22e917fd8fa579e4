package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

// newShortLivedSandbox is newSandbox with Pebble offering the shortlived
// profile (every order must then name a profile).
func newShortLivedSandbox(t *testing.T, life time.Duration) *sandbox.Sandbox {
	t.Helper()
	base := basePort(t)
	sb, err := sandbox.Start(sandbox.Options{Dir: t.TempDir(), BasePort: base, ShortLived: life})
	if err != nil {
		t.Fatalf("starting the sandbox: %v", err)
	}
	t.Cleanup(func() { sb.Stop() })
	return sb
}

// treeHash fingerprints every file, link and mode under dirs: equal
// before and after proves nothing was written. The lock file is left
// out: a dry run takes the lock, as apply --dry-run does, so that it
// never reads a half-applied change (taking it writes the holder's PID).
func treeHash(t *testing.T, dirs ...string) string {
	t.Helper()
	h := sha256.New()
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Name() == "lock" {
				return nil
			}
			fi, err := os.Lstat(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s %v %d\n", p, fi.Mode(), fi.ModTime().UnixNano())
			switch {
			case fi.Mode()&fs.ModeSymlink != 0:
				target, _ := os.Readlink(p)
				fmt.Fprintln(h, target)
			case fi.Mode().IsRegular():
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				h.Write(b)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func renewArgs(sb *sandbox.Sandbox, extra ...string) []string {
	return append([]string{"renew", "--state-dir", sb.StateDir}, extra...)
}

// editStoredRequest changes the stored request.json of the sandbox's site.
func editStoredRequest(t *testing.T, sb *sandbox.Sandbox, edit func(map[string]any)) {
	t.Helper()
	path := filepath.Join(sb.StateDir, "archive", sb.Domain, "request.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	if b, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

type renewRecord struct {
	LastRun time.Time `json:"last_run"`
	Result  string    `json:"result"`
	Error   string    `json:"error"`
}

func loadRenewRecord(t *testing.T, sb *sandbox.Sandbox) renewRecord {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sb.StateDir, "renewals.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Sites map[string]renewRecord `json:"sites"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	r, ok := f.Sites[sb.Domain]
	if !ok {
		t.Fatalf("no record for %s in renewals.json:\n%s", sb.Domain, b)
	}
	return r
}

// TestRenewShortLived: a site applied with the shortlived profile comes
// due within its short lifetime; --dry-run says so and writes nothing;
// renew renews it through Pebble, the new leaf is served, the site file
// the user edited after apply keeps every byte, and the deploy hook runs.
func TestRenewShortLived(t *testing.T) {
	const life = 30 * time.Second
	sb := newShortLivedSandbox(t, life)
	marker := filepath.Join(sb.Dir, "hook-ran")
	// A profile the CA does not offer is refused, naming the flag.
	bad := append(append([]string{"apply"}, sb.ApplyArgs()...), "--profile", "no-such-profile", "--schedule", "none")
	if out, code := run(t, bad...); code != 2 || !strings.Contains(out, "--profile") || !strings.Contains(out, "does not offer") {
		t.Fatalf("apply --profile no-such-profile exited %d, want 2 naming --profile:\n%s", code, out)
	}
	args := append([]string{"apply"}, sb.ApplyArgs()...)
	args = append(args, "--profile", "shortlived", "--schedule", "none", "--deploy-hook", "echo \"$RENEWED_DOMAINS\" > "+marker)
	if out, code := run(t, args...); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	old := servedLeaf(t, sb)
	if got := old.NotAfter.Sub(old.NotBefore); got > life {
		t.Fatalf("served certificate lives %v: the shortlived profile was not used", got)
	}
	// The user edits the site after apply.
	site, err := os.ReadFile(sb.SiteFile)
	if err != nil {
		t.Fatal(err)
	}
	site = append(site, []byte("\n# my own note, added after httpsify\n")...)
	if err := os.WriteFile(sb.SiteFile, site, 0o644); err != nil {
		t.Fatal(err)
	}

	// Wait until a third of the lifetime is left: due whatever ARI says.
	third := old.NotAfter.Add(-old.NotAfter.Sub(old.NotBefore) / 3)
	time.Sleep(time.Until(third) + time.Second)

	before := treeHash(t, sb.StateDir, filepath.Dir(sb.NginxConf))
	out, code := run(t, renewArgs(sb, "--dry-run")...)
	if code != 0 || !strings.Contains(out, sb.Domain+": would renew") {
		t.Fatalf("renew --dry-run exited %d, want 0 and %q:\n%s", code, sb.Domain+": would renew", out)
	}
	if after := treeHash(t, sb.StateDir, filepath.Dir(sb.NginxConf)); after != before {
		t.Fatalf("renew --dry-run wrote to the state dir or the nginx config")
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the deploy hook ran on a dry run")
	}

	out, code = run(t, renewArgs(sb)...)
	if code != 0 {
		t.Fatalf("renew exited %d:\n%s", code, out)
	}
	now := servedLeaf(t, sb)
	if bytes.Equal(now.Raw, old.Raw) {
		t.Fatalf("renew exited 0 but the old certificate is still served:\n%s", out)
	}
	if got := now.NotAfter.Sub(now.NotBefore); got > life {
		t.Errorf("the renewal lives %v: the stored shortlived profile was not used", got)
	}
	live, err := os.ReadFile(filepath.Join(sb.StateDir, "live", sb.Domain, "cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if blk, _ := pem.Decode(live); blk == nil || !bytes.Equal(blk.Bytes, now.Raw) {
		t.Errorf("the served certificate is not the installed one")
	}
	got, err := os.ReadFile(sb.SiteFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, site) {
		t.Errorf("renew changed the site file:\n--- before\n%s\n--- after\n%s", site, got)
	}
	hook, err := os.ReadFile(marker)
	if err != nil {
		t.Fatalf("the deploy hook did not run: %v\n%s", err, out)
	}
	if strings.TrimSpace(string(hook)) != sb.Domain {
		t.Errorf("deploy hook saw RENEWED_DOMAINS=%q, want %q", hook, sb.Domain)
	}
	if r := loadRenewRecord(t, sb); r.Result != "renewed" || r.Error != "" {
		t.Errorf("record = %+v, want renewed", r)
	}
}

// TestRenewNothingDueAndFailedDeploy: with nothing due, renew exits 0
// and, once the CA's renewal information is cached, asks no CA (the
// stored CA is then a dead port); a renewal whose nginx -t fails keeps
// the old certificate served and linked, is recorded, and exits 1.
func TestRenewNothingDueAndFailedDeploy(t *testing.T) {
	sb := newSandbox(t)
	// The test binary lives under a temporary directory: apply must say
	// so and install no schedule pointing at it (--schedule auto).
	out, code := run(t, append([]string{"apply"}, sb.ApplyArgs()...)...)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	if !strings.Contains(out, "renewal: no renewal schedule installed") || !strings.Contains(out, "temporary directory") {
		t.Errorf("apply's summary does not say that no schedule was installed for a temporary binary:\n%s", out)
	}
	orders, err := sb.PebbleOrders()
	if err != nil {
		t.Fatal(err)
	}
	// First run: fetches and caches the CA's renewal information.
	out, code = run(t, renewArgs(sb)...)
	if code != 0 || !strings.Contains(out, sb.Domain+": not due until") || strings.Contains(out, "warning") {
		t.Fatalf("renew exited %d, want 0, not due, no warning:\n%s", code, out)
	}
	// Second run against a dead CA: any request would fail and warn.
	var ca any
	editStoredRequest(t, sb, func(m map[string]any) { ca, m["ca"] = m["ca"], "https://127.0.0.1:1/dir" })
	out, code = run(t, renewArgs(sb)...)
	if code != 0 || !strings.Contains(out, sb.Domain+": not due until") || strings.Contains(out, "warning") {
		t.Fatalf("renew with nothing due exited %d, want 0, not due, no warning (no CA request):\n%s", code, out)
	}
	if after, _ := sb.PebbleOrders(); after != orders {
		t.Errorf("renew with nothing due placed %d orders", after-orders)
	}
	if r := loadRenewRecord(t, sb); r.Result != "not-due" {
		t.Errorf("record = %+v, want not-due", r)
	}
	editStoredRequest(t, sb, func(m map[string]any) { m["ca"] = ca })

	// nginx -t fails once the certificate link changes.
	liveDir := filepath.Join(sb.StateDir, "live", sb.Domain)
	orig, err := os.Readlink(liveDir)
	if err != nil {
		t.Fatal(err)
	}
	wrapper := filepath.Join(sb.Dir, "nginx-failing-test")
	script := fmt.Sprintf("#!/bin/sh\nfor a; do\n  if [ \"$a\" = -t ] && [ \"$(readlink %s)\" != %s ]; then echo 'nginx: [emerg] injected: the new certificate is refused' >&2; exit 1; fi\ndone\nexec %s \"$@\"\n", liveDir, orig, sb.NginxBin)
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	editStoredRequest(t, sb, func(m map[string]any) { m["host"].(map[string]any)["nginx_bin"] = wrapper })
	old := servedLeaf(t, sb)
	out, code = run(t, renewArgs(sb, "--force", "--verbose")...)
	if code != 1 || !strings.Contains(out, "FAILED") {
		t.Fatalf("renew with a failing nginx -t exited %d, want 1 and FAILED:\n%s", code, out)
	}
	if !bytes.Equal(servedLeaf(t, sb).Raw, old.Raw) {
		t.Errorf("the old certificate is no longer served after a failed renewal")
	}
	if now, _ := os.Readlink(liveDir); now != orig {
		t.Errorf("live link %s, want %s restored", now, orig)
	}
	// The failed renewal's order named the certificate it replaces (ARI).
	pebbleLog, err := os.ReadFile(filepath.Join(sb.Dir, "logs", "pebble.log"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(pebbleLog), "has been marked as replaced"); n != 1 {
		t.Errorf("Pebble marked %d orders as replaced, want 1: the renewal did not name the old certificate", n)
	}
	r := loadRenewRecord(t, sb)
	if r.Result != "failed" || !strings.Contains(r.Error, "injected") || time.Since(r.LastRun) > time.Minute {
		t.Errorf("record = %+v, want a fresh failure naming the nginx -t error", r)
	}

	// With nginx fixed, and the certificate staged by the failed run
	// forgotten, the next renewal orders again: the CA refuses a second
	// replacement of the old certificate, and the order is placed again
	// as a plain one.
	editStoredRequest(t, sb, func(m map[string]any) { m["host"].(map[string]any)["nginx_bin"] = sb.NginxBin })
	if err := os.Remove(filepath.Join(sb.StateDir, "staged", sb.Domain+".json")); err != nil {
		t.Fatal(err)
	}
	before, _ := sb.PebbleOrders()
	out, code = run(t, renewArgs(sb, "--force", "--verbose")...)
	if code != 0 || !strings.Contains(out, sb.Domain+": renewed") {
		t.Fatalf("renew after the fix exited %d:\n%s", code, out)
	}
	if after, _ := sb.PebbleOrders(); after != before+1 {
		t.Errorf("%d orders placed, want 1 (the refused replacement is not an order)", after-before)
	}
	if bytes.Equal(servedLeaf(t, sb).Raw, old.Raw) {
		t.Errorf("the old certificate is still served")
	}
}

// TestRenewWhenTheCAsWindowOpens: a 90-day certificate with most of its
// life left is renewed when the CA's renewal information (ARI) puts the
// window in the past, as after a mass revocation; the answer is fetched
// because none is cached yet, and the renewal is a replacement order.
func TestRenewWhenTheCAsWindowOpens(t *testing.T) {
	sb := newSandbox(t)
	if out, code := run(t, append(append([]string{"apply"}, sb.ApplyArgs()...), "--schedule", "none")...); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	old := servedLeaf(t, sb)
	start, end := time.Now().Add(-2*time.Hour).UTC(), time.Now().Add(-time.Hour).UTC()
	ari := fmt.Sprintf(`{"suggestedWindow":{"start":%q,"end":%q}}`, start.Format(time.RFC3339), end.Format(time.RFC3339))
	if err := sb.SetRenewalInfo(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: old.Raw}), ari); err != nil {
		t.Fatal(err)
	}
	out, code := run(t, renewArgs(sb, "--dry-run")...)
	if code != 0 || strings.Contains(out, "would renew") {
		t.Fatalf("renew --dry-run (which asks no CA, and has no cached answer) exited %d or said it would renew:\n%s", code, out)
	}
	out, code = run(t, renewArgs(sb)...)
	if code != 0 || !strings.Contains(out, sb.Domain+": renewed") || !strings.Contains(out, "ARI") {
		t.Fatalf("renew exited %d, want 0 and renewed by the CA's window (ARI):\n%s", code, out)
	}
	if now := servedLeaf(t, sb); bytes.Equal(now.Raw, old.Raw) {
		t.Fatal("the old certificate is still served")
	}
}
