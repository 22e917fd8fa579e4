package provision

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/provision/renewdue"
	"github.com/httpsify/httpsify/provision/schedule"
	"github.com/httpsify/httpsify/provision/statedir"
	"github.com/httpsify/httpsify/provision/txn"
)

// deployedFake is one site applied on the fake server, with a cron
// schedule for its state dir installed under a private root.
func deployedFake(t *testing.T) (f *fakeServer, sess *Session, p *Plan, original []byte, root string) {
	t.Helper()
	f, sess, p, iss := fakeRun(t)
	original, err := os.ReadFile(f.conf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.Deploy(context.Background(), p, iss); err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	if f.current() == nil {
		t.Fatal("the fake serves no certificate after Deploy")
	}
	root = t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc/cron.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := schedule.Install(schedule.Options{Mode: schedule.Cron, Root: root, Binary: "/usr/bin/true", StateDir: p.Settings.StateDir}); err != nil {
		t.Fatal(err)
	}
	sess.Schedule = &ScheduleSpec{Mode: schedule.Cron, Root: root}
	return f, sess, p, original, root
}

// snapshot is every file, link and directory under the dirs, with content.
func snapshot(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, d := range dirs {
		filepath.WalkDir(d, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			fi, _ := os.Lstat(path)
			v := fi.Mode().String()
			switch {
			case fi.Mode()&fs.ModeSymlink != 0:
				l, _ := os.Readlink(path)
				v += " -> " + l
			case fi.Mode().IsRegular():
				b, _ := os.ReadFile(path)
				v += " " + string(b)
			}
			out[path] = v
			return nil
		})
	}
	return out
}

func sameSnapshot(t *testing.T, what string, a, b map[string]string) {
	t.Helper()
	for k, v := range a {
		if b[k] != v {
			t.Errorf("%s changed %s", what, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			t.Errorf("%s created %s", what, k)
		}
	}
}

func TestRemoveRestoresTheSiteAsItWas(t *testing.T) {
	f, sess, p, original, root := deployedFake(t)
	s := p.Settings
	cron := filepath.Join(root, "etc/cron.d/httpsify-renew")
	before := snapshot(t, s.StateDir, filepath.Dir(f.conf), root)

	rp, err := sess.PlanRemove("www.example.test", true)
	if err != nil {
		t.Fatalf("PlanRemove: %v", err)
	}
	sameSnapshot(t, "PlanRemove", before, snapshot(t, s.StateDir, filepath.Dir(f.conf), root))
	restored := map[string]bool{}
	for _, rf := range rp.Files {
		restored[rf.Undo.Path] = true
	}
	if !restored[f.conf] || !restored[s.CertDir] || len(rp.Files) != 2 {
		t.Errorf("plan restores %+v, want the site file and the certificate link", rp.Files)
	}
	if !rp.RemoveSchedule || !strings.Contains(rp.Schedule, "delete "+cron) {
		t.Errorf("plan: schedule %q (remove %v), want the cron file deleted with the last site", rp.Schedule, rp.RemoveSchedule)
	}

	res, err := sess.Remove(context.Background(), rp)
	if err != nil {
		t.Fatalf("Remove: %v (checks %+v)", err, res.Checks)
	}
	if got, _ := os.ReadFile(f.conf); !bytes.Equal(got, original) {
		t.Errorf("site file = %q, want it byte-identical to before apply %q", got, original)
	}
	if f.current() != nil {
		t.Error("the fake still serves a certificate after the restore")
	}
	if _, err := os.Lstat(s.CertDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("certificate link %s is still there (%v)", s.CertDir, err)
	}
	if _, err := os.Lstat(s.Layout().Archive("www.example.test")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the certificate versions are still there (%v)", err)
	}
	if _, err := os.Lstat(cron); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cron file is still there after the last site went (%v)", err)
	}
	if sites, _ := StoredSites(s.Layout()); len(sites) != 0 {
		t.Errorf("still managed: %v", sites)
	}
	if st, err := Statuses(s.Layout(), "", time.Now()); err != nil || len(st) != 0 {
		t.Errorf("status lists %+v (%v)", st, err)
	}
	plain := false
	for _, c := range res.Checks {
		plain = plain || (c.OK && strings.HasPrefix(c.Name, "http answers /"))
	}
	if !plain {
		t.Errorf("no passing plain-HTTP check observed: %+v", res.Checks)
	}
	// Removing again: not managed.
	var nm *NotManagedError
	if _, err := sess.PlanRemove("www.example.test", true); !errors.As(err, &nm) {
		t.Errorf("PlanRemove after Remove = %v, want NotManagedError", err)
	}
}

func TestRemoveKeepLeavesHTTPSServed(t *testing.T) {
	f, sess, p, _, root := deployedFake(t)
	s := p.Settings
	conf, _ := os.ReadFile(f.conf)
	served := f.current()
	// The CA's renewal information for the served certificate, cached.
	leaf, why := installedLeaf(s.Layout(), s.CertDir)
	if why != "" {
		t.Fatal(why)
	}
	cache := &renewdue.Cache{Dir: s.Layout().RenewalInfo(), Fetcher: stubFetcher{start: time.Now().Add(50 * 24 * time.Hour)}}
	if _, _, err := cache.Check(leaf); err != nil {
		t.Fatal(err)
	}
	ari, _ := cache.EntryFile(leaf)
	rp, err := sess.PlanRemove("www.example.test", false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(rp.Deleted, ari) {
		t.Errorf("plan deletes %v, want the cached renewal information %s too", rp.Deleted, ari)
	}
	if len(rp.Files) != 0 {
		t.Errorf("keep plans file changes: %+v", rp.Files)
	}
	if !strings.Contains(strings.Join(rp.Notes, "\n"), "will NOT be renewed by httpsify") {
		t.Errorf("notes %q do not say the certificate will not be renewed", rp.Notes)
	}
	res, err := sess.Remove(context.Background(), rp)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Checks) != 1 || !res.Checks[0].OK {
		t.Errorf("keep checks %+v, want the served certificate observed unchanged", res.Checks)
	}
	if got, _ := os.ReadFile(f.conf); !bytes.Equal(got, conf) {
		t.Errorf("keep changed the site file: %q", got)
	}
	if f.current() != served || f.reloads != 1 {
		t.Errorf("keep reloaded the server (%d reloads) or changed what it serves", f.reloads)
	}
	// nginx can still read every certificate file.
	for _, n := range []string{"fullchain.pem", "privkey.pem"} {
		if _, err := os.ReadFile(filepath.Join(s.CertDir, n)); err != nil {
			t.Errorf("kept certificate file: %v", err)
		}
	}
	if sites, _ := StoredSites(s.Layout()); len(sites) != 0 {
		t.Errorf("still managed: %v", sites)
	}
	if _, err := os.Lstat(ari); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cached renewal information is still there (%v)", err)
	}
	if _, err := os.Lstat(filepath.Join(root, "etc/cron.d/httpsify-renew")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cron file stays after the last site went (%v)", err)
	}
}

func TestRemoveRefusesToDropAnEdit(t *testing.T) {
	f, sess, p, _, _ := deployedFake(t)
	edited := []byte("cert " + filepath.Join(p.Settings.CertDir, "fullchain.pem") + "\nkey " + filepath.Join(p.Settings.CertDir, "privkey.pem") + "\n# mine\n")
	if err := os.WriteFile(f.conf, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, p.Settings.StateDir, filepath.Dir(f.conf))
	_, err := sess.PlanRemove("www.example.test", true)
	var re *RestoreEditedError
	var since *txn.EditedSinceError
	if !errors.As(err, &re) || re.Path != f.conf || !errors.As(err, &since) {
		t.Fatalf("PlanRemove = %v, want RestoreEditedError naming %s", err, f.conf)
	}
	if !strings.Contains(err.Error(), "--keep-config") {
		t.Errorf("error %q does not suggest keep mode", err)
	}
	sameSnapshot(t, "a refused restore", before, snapshot(t, p.Settings.StateDir, filepath.Dir(f.conf)))
	// Keep mode is still open.
	if _, err := sess.PlanRemove("www.example.test", false); err != nil {
		t.Errorf("keep mode refused too: %v", err)
	}
}

func TestRemoveNotManaged(t *testing.T) {
	_, sess, _, _, _ := deployedFake(t)
	var nm *NotManagedError
	if _, err := sess.PlanRemove("other.example.test", true); !errors.As(err, &nm) {
		t.Fatalf("PlanRemove = %v, want NotManagedError", err)
	}
	var fe *FieldError
	if _, err := sess.PlanRemove("../../etc", false); !errors.As(err, &fe) || fe.Field != FlagDomain {
		t.Fatalf("PlanRemove of a path = %v, want a --domain FieldError", err)
	}
}

// A restore the server does not take (it keeps serving HTTPS) fails the
// plain-HTTP check: every file is put back to the HTTPS state, and the
// site stays managed.
func TestRemoveRollsBackWhenHTTPIsNotBack(t *testing.T) {
	f, sess, p, _, root := deployedFake(t)
	s := p.Settings
	conf, _ := os.ReadFile(f.conf)
	link, _ := os.Readlink(s.CertDir)
	rp, err := sess.PlanRemove("www.example.test", true)
	if err != nil {
		t.Fatal(err)
	}
	f.staleReload = true
	_, err = sess.Remove(context.Background(), rp)
	var ve *VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("Remove = %v, want a verification failure", err)
	}
	if got, _ := os.ReadFile(f.conf); !bytes.Equal(got, conf) {
		t.Errorf("site file not put back to its HTTPS state: %q", got)
	}
	if got, _ := os.Readlink(s.CertDir); got != link {
		t.Errorf("certificate link = %q, want %q back", got, link)
	}
	if sites, _ := StoredSites(s.Layout()); len(sites) != 1 {
		t.Errorf("managed sites %v, want the site still managed", sites)
	}
	if _, err := os.Stat(filepath.Join(root, "etc/cron.d/httpsify-renew")); err != nil {
		t.Errorf("the schedule went with a failed removal: %v", err)
	}
}

// The schedule stays while it has another site to renew, and a schedule
// renewing another state dir is never touched.
func TestRemoveKeepsScheduleForOtherSites(t *testing.T) {
	_, sess, p, _, root := deployedFake(t)
	l := p.Settings.Layout()
	other := p.Settings.Request
	other.Domains = []string{"other.example.test"}
	other.CertDir = l.Live("other.example.test")
	if err := SaveRequest(l, &other); err != nil {
		t.Fatal(err)
	}
	rp, err := sess.PlanRemove("www.example.test", false)
	if err != nil {
		t.Fatal(err)
	}
	if rp.RemoveSchedule {
		t.Errorf("plan removes the schedule with a site left: %q", rp.Schedule)
	}
	if _, err := sess.Remove(context.Background(), rp); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "etc/cron.d/httpsify-renew")); err != nil {
		t.Errorf("the schedule went with a site left: %v", err)
	}
	// A schedule for another state dir stays when this one's last site goes.
	if _, err := schedule.Install(schedule.Options{Mode: schedule.Cron, Root: root, Binary: "/usr/bin/true", StateDir: "/srv/other-state"}); err != nil {
		t.Fatal(err)
	}
	rp, err = sess.PlanRemove("other.example.test", false)
	if err != nil {
		t.Fatal(err)
	}
	if rp.RemoveSchedule || !strings.Contains(rp.Schedule, "/srv/other-state") {
		t.Errorf("plan %q (remove %v), want the other state dir's schedule kept", rp.Schedule, rp.RemoveSchedule)
	}
}

// DNS-01: the stored credentials go with the last site that names them,
// never before; nothing of them reaches the plan but the path.
func TestRemoveDeletesDNSCredentialsWithTheirLastSite(t *testing.T) {
	state := t.TempDir()
	os.Chmod(state, 0o700)
	var creds string
	for _, n := range []string{"a.example.test", "b.example.test"} {
		s, err := Options{Domains: []string{n}, Challenge: "dns-01", DNSProvider: "rfc2136",
			DNSEnviron: rfc2136Values, DNSResolvers: []string{"127.0.0.1:5353"}, StateDir: state}.Validate()
		if err != nil {
			t.Fatal(err)
		}
		if err := saveDNSCredentials(s); err != nil {
			t.Fatal(err)
		}
		creds = s.DNSCredentialsFile
		if err := SaveRequest(s.Layout(), &s.Request); err != nil {
			t.Fatal(err)
		}
	}
	h := &Host{StateDir: state}
	sess := Unlocked(nil, h, func(Event) {})
	sess.Schedule = &ScheduleSpec{Root: t.TempDir()}
	rp, err := sess.PlanRemove("a.example.test", false)
	if err != nil {
		t.Fatal(err)
	}
	if rp.Credentials != "" || !strings.Contains(strings.Join(rp.Notes, "\n"), "b.example.test still use") {
		t.Errorf("plan deletes %q, notes %q: want the credentials kept for b", rp.Credentials, rp.Notes)
	}
	if _, err := sess.Remove(context.Background(), rp); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(creds); err != nil {
		t.Fatalf("credentials deleted while b still uses them: %v", err)
	}
	rp, err = sess.PlanRemove("b.example.test", false)
	if err != nil {
		t.Fatal(err)
	}
	if rp.Credentials != creds {
		t.Errorf("plan deletes credentials %q, want %s", rp.Credentials, creds)
	}
	if plan := fmt.Sprintf("%+v", *rp); strings.Contains(plan, "c2VjcmV0") {
		t.Errorf("a secret reached the plan: %s", plan)
	}
	if _, err := sess.Remove(context.Background(), rp); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(creds); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("credentials still there after their last site went: %v", err)
	}
	if sites, _ := StoredSites(statedir.Layout(state)); len(sites) != 0 {
		t.Errorf("still managed: %v", sites)
	}
}

// The plan's lines name every file and what happens to it.
func TestRemovePlanLines(t *testing.T) {
	f, sess, p, _, root := deployedFake(t)
	rp, err := sess.PlanRemove("www.example.test", true)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Join(rp.Lines(), "\n")
	for _, want := range []string{
		"restore  " + f.conf + " (as it was before httpsify)",
		"remove   " + p.Settings.CertDir + " (httpsify made it)",
		"delete   " + rp.CertVersions,
		"renewal: the renewal schedule goes",
		filepath.Join(root, "etc/cron.d/httpsify-renew"),
	} {
		if !strings.Contains(lines, want) {
			t.Errorf("plan lacks %q:\n%s", want, lines)
		}
	}
	if !strings.Contains(rp.Heading(), "restore its files") {
		t.Errorf("heading %q", rp.Heading())
	}
}

// A file edited between the plan and Remove (while a confirmation was
// open) is not overwritten: Remove refuses and writes nothing.
func TestRemoveRechecksEditsMadeAfterThePlan(t *testing.T) {
	f, sess, p, _, _ := deployedFake(t)
	rp, err := sess.PlanRemove("www.example.test", true)
	if err != nil {
		t.Fatal(err)
	}
	edited := []byte("cert " + filepath.Join(p.Settings.CertDir, "fullchain.pem") + "\nkey " + filepath.Join(p.Settings.CertDir, "privkey.pem") + "\n# mine\n")
	if err := os.WriteFile(f.conf, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, p.Settings.StateDir, filepath.Dir(f.conf))
	_, err = sess.Remove(context.Background(), rp)
	var re *RestoreEditedError
	if !errors.As(err, &re) || re.Path != f.conf {
		t.Fatalf("Remove = %v, want RestoreEditedError naming %s", err, f.conf)
	}
	sameSnapshot(t, "a refused Remove", before, snapshot(t, p.Settings.StateDir, filepath.Dir(f.conf)))
}
