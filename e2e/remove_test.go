package e2e

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/sandbox"
	"github.com/httpsify/httpsify/provision/schedule"
)

// scheduleRoot is a private file system root with the renewal schedule
// installed for the sandbox's state dir, as apply installs it for an
// installed binary (the test binary lives in a temporary directory, for
// which apply installs none).
func scheduleRoot(t *testing.T, sb *sandbox.Sandbox, mode schedule.Mode) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"etc/cron.d", "etc/systemd/system"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := schedule.Install(schedule.Options{Mode: mode, Root: root, Binary: "/usr/local/bin/httpsify", StateDir: sb.StateDir}); err != nil {
		t.Fatal(err)
	}
	return root
}

func removeArgs(sb *sandbox.Sandbox, root string, extra ...string) []string {
	args := append([]string{"remove", "--domain", sb.Domain, "--schedule-root", root}, hostArgs(sb)...)
	return append(args, extra...)
}

// Apply, then remove restoring: every nginx file byte for byte as before
// apply, nginx answering plain HTTP as before, status listing nothing,
// the schedule gone. A dry run, a run without --yes off a terminal and a
// run over an edited site file change nothing.
func TestRemoveRestoresTheSiteAsBeforeApply(t *testing.T) {
	sb := newSandbox(t)
	beforeApply := snapshot(t, sb)
	status0, loc0, body0 := getHTTP(t, sb, "/")
	if out, code := run(t, append([]string{"apply", "--schedule", "none"}, sb.ApplyArgs()...)...); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	if status, _, _ := getHTTP(t, sb, "/"); status != 301 {
		t.Fatalf("after apply http / = %d, want the redirect to https", status)
	}
	issued := servedLeaf(t, sb).Raw
	root := scheduleRoot(t, sb, schedule.Cron)
	cron := filepath.Join(root, "etc/cron.d/httpsify-renew")
	applied := snapshot(t, sb)
	nginxDir := filepath.Dir(sb.NginxConf)
	untouched := treeHash(t, sb.StateDir, nginxDir, root)

	out, code := run(t, removeArgs(sb, root, "--dry-run")...)
	if code != 0 || !strings.Contains(out, "restore  "+sb.SiteFile) || !strings.Contains(out, "delete "+cron) || !strings.Contains(out, "nothing was changed") {
		t.Fatalf("remove --dry-run exited %d, want 0 and the plan:\n%s", code, out)
	}
	if treeHash(t, sb.StateDir, nginxDir, root) != untouched {
		t.Fatal("remove --dry-run wrote something")
	}
	out, code = run(t, removeArgs(sb, root)...)
	if code != 2 || !strings.Contains(out, "--yes") {
		t.Fatalf("remove without --yes off a terminal exited %d, want 2 naming --yes:\n%s", code, out)
	}
	if treeHash(t, sb.StateDir, nginxDir, root) != untouched {
		t.Fatal("a refused remove wrote something")
	}

	// An edit of the site file since apply: refused, naming the file.
	site, _ := os.ReadFile(sb.SiteFile)
	if err := os.WriteFile(sb.SiteFile, append(site, "# my note\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	edited := snapshot(t, sb)
	out, code = run(t, removeArgs(sb, root, "--yes")...)
	if code != 2 || !strings.Contains(out, sb.SiteFile) || !strings.Contains(out, "--keep-config") {
		t.Fatalf("remove over an edited site file exited %d, want 2 naming it and --keep-config:\n%s", code, out)
	}
	requireSameFiles(t, edited, snapshot(t, sb))
	if err := os.WriteFile(sb.SiteFile, site, 0o644); err != nil {
		t.Fatal(err)
	}
	requireSameFiles(t, applied, snapshot(t, sb))

	out, code = run(t, removeArgs(sb, root, "--yes")...)
	t.Log(out)
	if code != 0 {
		t.Fatalf("remove exited %d:\n%s", code, out)
	}
	requireSameFiles(t, beforeApply, snapshot(t, sb))
	status, loc, body := getHTTP(t, sb, "/")
	if status != status0 || loc != loc0 || body != body0 {
		t.Errorf("http / after remove = %d %q %q, want as before apply: %d %q %q", status, loc, body, status0, loc0, body0)
	}
	if leaf := httpsLeaf(sb); leaf != nil && string(leaf) == string(issued) {
		t.Error("nginx still serves the certificate httpsify issued")
	}
	st, raw, code := statusOf(t, "--state-dir", sb.StateDir)
	if code != 0 || len(st.Sites) != 0 {
		t.Errorf("status after remove exited %d:\n%s", code, raw)
	}
	if _, err := os.Lstat(cron); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cron file is still there after the last site went (%v)", err)
	}
	if _, err := os.Lstat(filepath.Join(sb.StateDir, "archive", sb.Domain)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the site's certificates are still in the state dir (%v)", err)
	}
	// Again: not managed, exit 2.
	if out, code := run(t, removeArgs(sb, root, "--yes")...); code != 2 || !strings.Contains(out, "not a site httpsify manages") {
		t.Errorf("a second remove exited %d, want 2:\n%s", code, out)
	}
}

// Keep mode: nginx keeps serving the site over HTTPS with the same files,
// status no longer lists it, the systemd units httpsify wrote are gone.
func TestRemoveKeepConfigLeavesHTTPS(t *testing.T) {
	sb := newSandbox(t)
	if out, code := run(t, append([]string{"apply", "--schedule", "none"}, sb.ApplyArgs()...)...); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	issued := servedLeaf(t, sb).Raw
	root := scheduleRoot(t, sb, schedule.Systemd)
	applied := snapshot(t, sb)

	out, code := run(t, removeArgs(sb, root, "--keep-config", "--yes")...)
	t.Log(out)
	if code != 0 || !strings.Contains(out, "will NOT be renewed") || !strings.Contains(out, "✓ https serves "+sb.Domain+"'s certificate, unchanged") {
		t.Fatalf("remove --keep-config exited %d, want 0 saying the certificate will not be renewed:\n%s", code, out)
	}
	requireSameFiles(t, applied, snapshot(t, sb))
	if status, body := getHTTPS(t, sb, "/"); status != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Errorf("https / after remove --keep-config = %d %q", status, body)
	}
	if string(servedLeaf(t, sb).Raw) != string(issued) {
		t.Error("nginx serves another certificate after remove --keep-config")
	}
	st, raw, code := statusOf(t, "--state-dir", sb.StateDir)
	if code != 0 || len(st.Sites) != 0 {
		t.Errorf("status after remove --keep-config exited %d:\n%s", code, raw)
	}
	for _, f := range []string{"etc/systemd/system/httpsify-renew.timer", "etc/systemd/system/httpsify-renew.service", "etc/systemd/system/timers.target.wants/httpsify-renew.timer"} {
		if _, err := os.Lstat(filepath.Join(root, f)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there after the last site went (%v)", f, err)
		}
	}
}

// A site with the user's own certificate (issue 12) is removed the same
// way: every nginx file back as before apply, plain HTTP as before, the
// user's certificate files untouched, the copies in the state dir gone.
func TestRemoveUploadedCertificateSite(t *testing.T) {
	sb := newSandbox(t)
	dir := t.TempDir()
	pc := newProviderChain(t, dir)
	now := time.Now()
	leaf := pc.leaf(t, []string{sb.Domain}, now.Add(-time.Hour), now.Add(90*24*time.Hour))
	certFile, keyFile := download(t, dir, "provider", leaf, pc.inter, leaf.key, 0o600)
	certBytes, _ := os.ReadFile(certFile)
	keyBytes, _ := os.ReadFile(keyFile)
	env := []string{"SSL_CERT_FILE=" + pc.rootFile}
	beforeApply := snapshot(t, sb)
	status0, _, body0 := getHTTP(t, sb, "/")
	if out, code := runEnv(t, env, append([]string{"apply", "--schedule", "none", "--cert-file", certFile, "--key-file", keyFile}, byoArgs(sb)...)...); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	requireServesLeaf(t, sb, pc, leaf)
	root := t.TempDir() // no schedule installed: nothing to remove there
	out, code := runEnv(t, env, removeArgs(sb, root, "--yes")...)
	t.Log(out)
	if code != 0 || !strings.Contains(out, "no renewal schedule is installed") {
		t.Fatalf("remove exited %d:\n%s", code, out)
	}
	requireSameFiles(t, beforeApply, snapshot(t, sb))
	if status, _, body := getHTTP(t, sb, "/"); status != status0 || body != body0 {
		t.Errorf("http / after remove = %d %q, want %d %q as before apply", status, body, status0, body0)
	}
	if c, _ := os.ReadFile(certFile); string(c) != string(certBytes) {
		t.Error("remove changed the user's certificate file")
	}
	if k, _ := os.ReadFile(keyFile); string(k) != string(keyBytes) {
		t.Error("remove changed the user's key file")
	}
	if _, err := os.Lstat(filepath.Join(sb.StateDir, "archive", sb.Domain)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the copies of the certificate and key are still in the state dir (%v)", err)
	}
}

// A DNS-01 site (wildcard + apex through RFC 2136): remove restores the
// files and deletes the 0600 copy of the provider's credentials, which
// never appears in the output.
func TestRemoveDNS01SiteDeletesItsCredentials(t *testing.T) {
	sb := newDNSSandbox(t)
	creds := filepath.Join(t.TempDir(), "rfc2136.env")
	if err := os.WriteFile(creds, []byte(strings.Join(rfc2136Env(sb), "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	beforeApply := snapshot(t, sb)
	if out, code := run(t, dnsApplyArgs(sb, "rfc2136", "--dns-credentials", creds, "--schedule", "none")...); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	st, raw, _ := statusOf(t, "--state-dir", sb.StateDir)
	if len(st.Sites) != 1 {
		t.Fatalf("status after apply:\n%s", raw)
	}
	primary := st.Sites[0].Name
	stored, _ := filepath.Glob(filepath.Join(sb.StateDir, "dns-*.credentials"))
	if len(stored) != 1 {
		t.Fatalf("stored credentials %v, want one copy", stored)
	}
	root := t.TempDir()
	args := append([]string{"remove", "--domain", primary, "--schedule-root", root, "--yes"}, hostArgs(sb)...)
	out, code := run(t, args...)
	t.Log(out)
	if code != 0 {
		t.Fatalf("remove exited %d:\n%s", code, out)
	}
	if strings.Contains(out, sb.BIND.KeySecret) {
		t.Error("remove printed the TSIG secret")
	}
	if _, err := os.Lstat(stored[0]); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stored credentials %s are still there (%v)", stored[0], err)
	}
	requireSameFiles(t, beforeApply, snapshot(t, sb))
	if st, raw, _ := statusOf(t, "--state-dir", sb.StateDir); len(st.Sites) != 0 {
		t.Errorf("status after remove:\n%s", raw)
	}
}

// A restore nginx does not take (its reload fails) is rolled back: every
// file as after apply, the certificate link back, HTTPS served as
// before, the site still managed, the schedule still there; exit 1.
func TestRemoveRollsBackWhenTheReloadFails(t *testing.T) {
	sb := newSandbox(t)
	if out, code := run(t, append([]string{"apply", "--schedule", "none"}, sb.ApplyArgs()...)...); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	issued := servedLeaf(t, sb).Raw
	root := scheduleRoot(t, sb, schedule.Cron)
	applied := snapshot(t, sb)
	live := filepath.Join(sb.StateDir, "live", sb.Domain)
	link, _ := os.Readlink(live)
	// Only a reload of the plain-HTTP site (the restored one) fails.
	wrapper := filepath.Join(t.TempDir(), "nginx")
	script := fmt.Sprintf(`#!/bin/sh
for a in "$@"; do
	if [ "$a" = reload ] && ! grep -qs ssl_certificate %q; then
		echo "nginx: [alert] kill(4242, 1) failed (1: Operation not permitted)" >&2
		exit 1
	fi
done
exec %q "$@"
`, sb.SiteFile, sb.NginxBin)
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"remove", "--domain", sb.Domain, "--schedule-root", root, "--yes"}, with(hostArgs(sb), "--nginx-bin", wrapper)...)
	out, code := run(t, args...)
	t.Log(out)
	if code != 1 || !strings.Contains(out, "restored byte for byte") {
		t.Fatalf("remove with a failing reload exited %d, want 1 and the files restored:\n%s", code, out)
	}
	requireSameFiles(t, applied, snapshot(t, sb))
	if got, _ := os.Readlink(live); got != link {
		t.Errorf("certificate link = %q, want %q back", got, link)
	}
	if string(servedLeaf(t, sb).Raw) != string(issued) {
		t.Error("nginx no longer serves the issued certificate")
	}
	if status, body := getHTTPS(t, sb, "/"); status != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Errorf("https / after the failed remove = %d %q", status, body)
	}
	if st, raw, _ := statusOf(t, "--state-dir", sb.StateDir); len(st.Sites) != 1 {
		t.Errorf("status after the failed remove:\n%s", raw)
	}
	if _, err := os.Stat(filepath.Join(root, "etc/cron.d/httpsify-renew")); err != nil {
		t.Errorf("the schedule went with a failed remove: %v", err)
	}
}
