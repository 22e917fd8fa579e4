package e2e

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/sandbox"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/statedir"
)

// statusJSON is what a monitoring script reads from status --json; the
// field types are part of the contract (times are RFC 3339 strings).
type statusJSON struct {
	Sites []struct {
		Name        string   `json:"name"`
		Names       []string `json:"names"`
		Source      string   `json:"source"`
		CA          string   `json:"ca"`
		Challenge   string   `json:"challenge"`
		CertDir     string   `json:"cert_dir"`
		NotAfter    string   `json:"not_after"`
		NextRenewal string   `json:"next_renewal"`
		RenewalDue  bool     `json:"renewal_due"`
		ConfigFile  string   `json:"config_file"`
		LastRun     *struct {
			Time   string `json:"time"`
			Action string `json:"action"`
			OK     bool   `json:"ok"`
			Error  string `json:"error"`
		} `json:"last_run"`
		Warnings []struct {
			Kind    string `json:"kind"`
			Message string `json:"message"`
		} `json:"warnings"`
		Attention bool `json:"attention"`
	} `json:"sites"`
	Attention bool `json:"attention"`
}

func statusOf(t *testing.T, args ...string) (statusJSON, string, int) {
	t.Helper()
	out, code := runStdout(t, append([]string{"status", "--json"}, args...)...)
	var st statusJSON
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json exited %d, not JSON (%v):\n%s", code, err, out)
	}
	return st, out, code
}

// runStdout runs httpsify and returns its stdout alone (stderr is
// logged), for output a program parses.
func runStdout(t *testing.T, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if stderr.Len() > 0 {
		t.Logf("stderr: %s", stderr.String())
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		return stdout.String(), 0
	case errors.As(err, &ee):
		return stdout.String(), ee.ExitCode()
	}
	t.Fatalf("running httpsify: %v", err)
	return "", -1
}

func rfc3339(t *testing.T, field, v string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, v)
	if err != nil {
		t.Fatalf("%s = %q is not RFC 3339: %v", field, v, err)
	}
	return tm
}

// hostArgs are apply's flags that say which nginx and state dir, the
// ones rollback takes.
func hostArgs(sb *sandbox.Sandbox) []string {
	keep := map[string]bool{"--nginx-conf": true, "--nginx-bin": true, "--http-port": true, "--https-port": true, "--state-dir": true, "--challenge-dir": true}
	all := sb.ApplyArgs()
	var out []string
	for i := 0; i < len(all)-1; i++ {
		if keep[all[i]] {
			out = append(out, all[i], all[i+1])
			i++
		}
	}
	return out
}

// status --json after a real apply: every field with its type, exit 0;
// then a recorded failed renewal makes it exit 1 with the warning, and
// the CA's text never reaches the terminal raw.
func TestStatusAfterApply(t *testing.T) {
	sb := newSandbox(t)
	if out, code := run(t, append([]string{"apply"}, sb.ApplyArgs()...)...); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	leaf := servedLeaf(t, sb)
	st, raw, code := statusOf(t, "--state-dir", sb.StateDir)
	if code != 0 || st.Attention || len(st.Sites) != 1 {
		t.Fatalf("status exited %d (want 0):\n%s", code, raw)
	}
	s := st.Sites[0]
	if s.Name != sb.Domain || len(s.Names) != 1 || s.Names[0] != sb.Domain || s.Source != "acme" || s.CA != sb.CADirURL || s.Challenge != "http-01" {
		t.Errorf("site fields wrong:\n%s", raw)
	}
	if s.CertDir != filepath.Join(sb.StateDir, "live", sb.Domain) {
		t.Errorf("cert_dir = %q", s.CertDir)
	}
	if got := rfc3339(t, "not_after", s.NotAfter); !got.Equal(leaf.NotAfter) {
		t.Errorf("not_after = %v, the served certificate expires %v", got, leaf.NotAfter)
	}
	next := rfc3339(t, "next_renewal", s.NextRenewal)
	if !next.After(time.Now()) || !next.Before(leaf.NotAfter) || s.RenewalDue {
		t.Errorf("next_renewal = %v (due %v) for a fresh certificate expiring %v", next, s.RenewalDue, leaf.NotAfter)
	}
	if s.ConfigFile == "" {
		t.Errorf("config_file missing:\n%s", raw)
	} else if b, err := os.ReadFile(s.ConfigFile); err != nil || !bytes.Contains(b, []byte("ssl_certificate")) {
		t.Errorf("config_file %s is not the HTTPS site (%v)", s.ConfigFile, err)
	}
	if s.LastRun == nil || s.LastRun.Action != "apply" || !s.LastRun.OK || s.LastRun.Error != "" {
		t.Errorf("last_run wrong:\n%s", raw)
	} else if when := rfc3339(t, "last_run.time", s.LastRun.Time); time.Since(when) > 10*time.Minute {
		t.Errorf("last_run.time = %v", when)
	}
	if s.Warnings == nil || len(s.Warnings) != 0 || s.Attention {
		t.Errorf("warnings on a healthy site:\n%s", raw)
	}
	text, code := run(t, "status", "--state-dir", sb.StateDir)
	t.Log(text)
	if code != 0 || !strings.Contains(text, sb.Domain) || !strings.Contains(text, leaf.NotAfter.Format("2006-01-02")) {
		t.Errorf("status (text) exited %d:\n%s", code, text)
	}
	for _, line := range strings.Split(strings.SplitN(text, "\n", 3)[1], "\n") {
		if len([]rune(line)) > 80 {
			t.Errorf("table row wider than 80 columns: %q", line)
		}
	}

	// A renewal that failed, as `httpsify renew` records it.
	l := statedir.Layout(sb.StateDir)
	if err := provision.SaveSiteRecord(l, sb.Domain, provision.SiteRecord{Action: provision.RunRenew, Error: "the CA said \x1b[31mno\x1b[0m"}); err != nil {
		t.Fatal(err)
	}
	st, raw, code = statusOf(t, "--state-dir", sb.StateDir, "--domain", sb.Domain)
	if code != 1 || !st.Attention || len(st.Sites) != 1 || !hasWarning(st.Sites[0].Warnings, "renewal-failing") {
		t.Fatalf("status with a failed renewal exited %d (want 1 and renewal-failing):\n%s", code, raw)
	}
	text, code = run(t, "status", "--state-dir", sb.StateDir)
	if code != 1 || !strings.Contains(text, "renewal failing") || strings.Contains(text, "\x1b") {
		t.Errorf("status (text) with a failed renewal exited %d:\n%q", code, text)
	}
	// renew's own record (<state>/renewals.json), newer and renewed: the
	// last run is that renewal and nothing needs attention.
	renewals := fmt.Sprintf(`{"version": 1, "sites": {%q: {"last_run": %q, "result": "renewed"}}}`, sb.Domain, time.Now().Add(time.Minute).UTC().Format(time.RFC3339))
	if err := os.WriteFile(filepath.Join(sb.StateDir, "renewals.json"), []byte(renewals), 0o600); err != nil {
		t.Fatal(err)
	}
	st, raw, code = statusOf(t, "--state-dir", sb.StateDir)
	if s := st.Sites[0]; code != 0 || st.Attention || s.LastRun == nil || s.LastRun.Action != "renew" || !s.LastRun.OK {
		t.Errorf("status after a recorded renewal exited %d:\n%s", code, raw)
	}
	if _, code := run(t, "status", "--state-dir", sb.StateDir, "--domain", "other.example.test"); code != 2 {
		t.Errorf("status --domain for an unknown site exited %d, want 2", code)
	}
}

func hasWarning(ws []struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}, kind string) bool {
	for _, w := range ws {
		if w.Kind == kind {
			return true
		}
	}
	return false
}

// A synthetic state whose certificate expires in three days: status says
// so and exits 1, without a CA or nginx anywhere.
func TestStatusExpiringSoon(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	if err := os.Mkdir(state, 0o700); err != nil {
		t.Fatal(err)
	}
	name := "soon.example.test"
	o := provision.Options{Domains: []string{name}, Upstream: "127.0.0.1:8000", StateDir: state, CA: "https://127.0.0.1:14000/dir", AgreeTOS: true}
	s, err := o.Validate()
	if err != nil {
		t.Fatal(err)
	}
	l := statedir.Layout(state)
	if err := provision.SaveRequest(l, &s.Request); err != nil {
		t.Fatal(err)
	}
	ver, err := certstore.Stage(l.Archive(name), shortBundle(t, name, time.Now().Add(-7*24*time.Hour), time.Now().Add(3*24*time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(l.LiveRoot(), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(ver, l.Live(name)); err != nil {
		t.Fatal(err)
	}
	st, raw, code := statusOf(t, "--state-dir", state)
	if code != 1 || len(st.Sites) != 1 || !hasWarning(st.Sites[0].Warnings, "expires-soon") || !st.Sites[0].RenewalDue {
		t.Fatalf("status exited %d (want 1, expires-soon, renewal due):\n%s", code, raw)
	}
	text, _ := run(t, "status", "--state-dir", state)
	t.Log(text)
	if !strings.Contains(text, "expires in 3 days") {
		t.Errorf("text status does not say when it expires:\n%s", text)
	}

	// The certificate files gone: said, and exit 1.
	if err := os.RemoveAll(ver); err != nil {
		t.Fatal(err)
	}
	st, raw, code = statusOf(t, "--state-dir", state)
	if code != 1 || !hasWarning(st.Sites[0].Warnings, "certificate-files") {
		t.Errorf("status with the certificate files gone exited %d:\n%s", code, raw)
	}

	// A state dir others may write to is refused, as a run would.
	if err := os.Chmod(state, 0o777); err != nil {
		t.Fatal(err)
	}
	if out, code := run(t, "status", "--state-dir", state); code != 2 {
		t.Errorf("status on a world-writable state dir exited %d, want 2:\n%s", code, out)
	}
}

func otherKeyPEM(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func shortBundle(t *testing.T, name string, from, to time.Time) certstore.Bundle {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name}, NotBefore: from, NotAfter: to}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return certstore.Bundle{Cert: cert, Chain: cert, Fullchain: append(append([]byte(nil), cert...), cert...), Key: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})}
}

// Two applies, the second with a new certificate and HSTS; rollback puts
// back the first's site files byte for byte and serves its certificate
// again, verified; a second site state with one apply has nothing to
// roll back to.
func TestRollbackRestoresPreviousCertificateAndFiles(t *testing.T) {
	sb := newSandbox(t)
	if out, code := run(t, append([]string{"apply"}, sb.ApplyArgs()...)...); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	first := servedLeaf(t, sb)
	firstFiles := snapshot(t, sb)
	live := filepath.Join(sb.StateDir, "live", sb.Domain)
	firstVersion, _ := os.Readlink(live)

	// Nothing to roll back to after the first install: exit 2, nothing changed.
	out, code := run(t, append([]string{"rollback", "--domain", sb.Domain, "--yes"}, hostArgs(sb)...)...)
	if code != 2 || !strings.Contains(out, "nothing to roll back") {
		t.Fatalf("rollback after one apply exited %d (want 2):\n%s", code, out)
	}
	requireSameFiles(t, firstFiles, snapshot(t, sb))
	if v, _ := os.Readlink(live); v != firstVersion {
		t.Fatalf("the certificate link moved to %s", v)
	}

	out, code = run(t, append([]string{"apply", "--force-renew", "--hsts"}, sb.ApplyArgs()...)...)
	if code != 0 {
		t.Fatalf("second apply exited %d:\n%s", code, out)
	}
	second := servedLeaf(t, sb)
	if second.Equal(first) {
		t.Fatal("--force-renew served the same certificate")
	}
	if site, _ := os.ReadFile(sb.SiteFile); !bytes.Contains(site, []byte("Strict-Transport-Security")) {
		t.Fatal("--hsts did not reach the site")
	}

	rollback := append([]string{"rollback", "--domain", sb.Domain, "--yes"}, hostArgs(sb)...)

	// The site file edited since the second apply: refused (exit 2), the
	// edit kept, nothing else changed.
	secondFiles := snapshot(t, sb)
	site, _ := os.ReadFile(sb.SiteFile)
	if err := os.WriteFile(sb.SiteFile, append(site, "# my note\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	edited := snapshot(t, sb)
	out, code = run(t, rollback...)
	if code != 2 || !strings.Contains(out, sb.SiteFile) {
		t.Fatalf("rollback over an edited site file exited %d (want 2, naming it):\n%s", code, out)
	}
	requireSameFiles(t, edited, snapshot(t, sb))
	if err := os.WriteFile(sb.SiteFile, site, 0o644); err != nil {
		t.Fatal(err)
	}

	// nginx -t failing on the restored files (the first version's key
	// swapped for another, which only nginx -t notices): everything put
	// back as it was, the second certificate still served, exit 1.
	firstKey := filepath.Join(firstVersion, "privkey.pem")
	keyPEM, err := os.ReadFile(firstKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(firstKey, otherKeyPEM(t), 0o600); err != nil {
		t.Fatal(err)
	}
	out, code = run(t, rollback...)
	t.Log(out)
	if code != 1 || !strings.Contains(out, "every file restored") {
		t.Fatalf("rollback with nginx -t failing exited %d (want 1, restored):\n%s", code, out)
	}
	if err := os.WriteFile(firstKey, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	requireSameFiles(t, secondFiles, snapshot(t, sb))
	if got := servedLeaf(t, sb); !got.Equal(second) {
		t.Errorf("after a failed rollback nginx serves serial %x, want the second certificate", got.SerialNumber)
	}

	out, code = run(t, rollback...)
	t.Log(out)
	if code != 0 {
		t.Fatalf("rollback exited %d:\n%s", code, out)
	}
	requireSameFiles(t, firstFiles, snapshot(t, sb))
	if got := servedLeaf(t, sb); !got.Equal(first) {
		t.Errorf("after rollback nginx serves serial %x, want the first certificate %x", got.SerialNumber, first.SerialNumber)
	}
	if v, _ := os.Readlink(live); v != firstVersion {
		t.Errorf("the certificate link points to %s, want %s", v, firstVersion)
	}
	if status, body := getHTTPS(t, sb, "/"); status != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Errorf("https / after rollback = %d %q", status, body)
	}
	st, raw, _ := statusOf(t, "--state-dir", sb.StateDir)
	if s := st.Sites[0]; s.LastRun == nil || s.LastRun.Action != "rollback" || !s.LastRun.OK || !rfc3339(t, "not_after", s.NotAfter).Equal(first.NotAfter) {
		t.Errorf("status after rollback:\n%s", raw)
	}
}

// rollback on a state dir with no site: exit 2, and nothing is created.
func TestRollbackNothingManaged(t *testing.T) {
	sb := newSandbox(t)
	before := snapshot(t, sb)
	out, code := run(t, append([]string{"rollback", "--yes"}, hostArgs(sb)...)...)
	if code != 2 || !strings.Contains(out, "nothing to roll back") {
		t.Fatalf("rollback with no site exited %d (want 2):\n%s", code, out)
	}
	requireSameFiles(t, before, snapshot(t, sb))
	if _, err := os.Stat(sb.StateDir); err == nil {
		if ents, _ := os.ReadDir(filepath.Join(sb.StateDir, "archive")); len(ents) > 0 {
			t.Errorf("rollback created %v", ents)
		}
	}
}
