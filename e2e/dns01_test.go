package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

// newDNSSandbox is a sandbox whose site is the zone's apex, example.test,
// with BIND authoritative for the zone and Pebble resolving through it.
func newDNSSandbox(t *testing.T) *sandbox.Sandbox {
	t.Helper()
	return newSandboxWith(t, sandbox.Options{Domain: "example.test", BIND: true})
}

// rfc2136Env is what a user of RFC 2136 would set: the sandbox BIND's
// primary and TSIG key, in the provider's own variable names.
func rfc2136Env(sb *sandbox.Sandbox) []string {
	return []string{
		"DNSUPDATE_NAMESERVER=" + sb.BIND.Addr,
		"DNSUPDATE_TSIG_KEY=" + sb.BIND.KeyName,
		"DNSUPDATE_TSIG_ALGORITHM=" + sb.BIND.KeyAlgorithm,
		"DNSUPDATE_TSIG_SECRET=" + sb.BIND.KeySecret,
	}
}

// dnsApplyArgs: apply for *.example.test + example.test through DNS-01,
// checking propagation only on the sandbox's BIND.
func dnsApplyArgs(sb *sandbox.Sandbox, provider string, extra ...string) []string {
	args := append([]string{"apply"}, with(sb.ApplyArgs(), "--domain", "*.example.test")...)
	args = append(args, "--domain", "example.test", "--challenge", "dns-01", "--dns-provider", provider,
		"--dns-resolver", sb.BIND.Addr, "--dns-ns-port", strconv.Itoa(sb.BIND.Port))
	return append(args, extra...)
}

// A wildcard + apex certificate through RFC 2136 on a real BIND: issued,
// served by nginx for both names, the verification passes, the provider
// and the 0600 credentials file are remembered for renewal, and a rerun
// writes nothing.
func TestApplyDNS01WildcardAndApex(t *testing.T) {
	sb := newDNSSandbox(t)
	creds := filepath.Join(t.TempDir(), "rfc2136.env")
	if err := os.WriteFile(creds, []byte(strings.Join(rfc2136Env(sb), "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, code := run(t, dnsApplyArgs(sb, "rfc2136", "--dns-credentials", creds)...)
	took := time.Since(start)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	t.Logf("wildcard + apex apply through rfc2136 took %s", took)
	for _, want := range []string{"zone example.test. found", "is on every authoritative server", "serves the new certificate"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// No port-80 challenge edit: DNS-01 never touches the web server first.
	if strings.Contains(out, "temporary challenge location") {
		t.Errorf("a DNS-01 run edited nginx for the challenge:\n%s", out)
	}

	for _, name := range []string{"example.test", "anything.example.test"} {
		got := servedNames(t, sb, name)
		if !slices.Contains(got, "*.example.test") || !slices.Contains(got, "example.test") {
			t.Errorf("%s is served a certificate for %v, want *.example.test and example.test", name, got)
		}
	}
	status, body := getHTTPS(t, sb, "/")
	if status != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Fatalf("https / = %d %q", status, body)
	}
	// The TXT records are gone again.
	if vals, err := sb.BIND.TXT("_acme-challenge.example.test."); err != nil || len(vals) != 0 {
		t.Errorf("TXT left in the zone: %q %v", vals, err)
	}

	// The request remembers the provider and the 0600 copy of the
	// credentials, not their values.
	reqPath := filepath.Join(sb.StateDir, "archive", "example.test", "request.json")
	b, err := os.ReadFile(reqPath)
	if err != nil {
		t.Fatal(err)
	}
	var req struct {
		Challenge, DNSProvider, DNSCredentialsFile string
	}
	var raw map[string]any
	json.Unmarshal(b, &raw)
	req.Challenge, _ = raw["challenge"].(string)
	req.DNSProvider, _ = raw["dns_provider"].(string)
	req.DNSCredentialsFile, _ = raw["dns_credentials_file"].(string)
	if req.Challenge != "dns-01" || req.DNSProvider != "rfc2136" || filepath.Dir(req.DNSCredentialsFile) != sb.StateDir {
		t.Fatalf("request.json = %s", b)
	}
	requireMode(t, req.DNSCredentialsFile, 0o600)
	if strings.Contains(string(b), sb.BIND.KeySecret) {
		t.Fatalf("request.json holds the TSIG secret:\n%s", b)
	}

	// A rerun keeps the certificate and writes nothing.
	before := snapshot(t, sb)
	out, code = run(t, dnsApplyArgs(sb, "rfc2136", "--dns-credentials", creds)...)
	if code != 0 || !strings.Contains(out, "nothing to write") || !strings.Contains(out, "no new one needed") {
		t.Fatalf("rerun exited %d:\n%s", code, out)
	}
	requireSameFiles(t, before, snapshot(t, sb))
}

// HTTP-01 cannot prove a wildcard: refused with the reason and the way
// out, exit 2, nothing written. A provider code lego does not know is
// refused with suggestions.
func TestApplyDNS01Refusals(t *testing.T) {
	sb := newDNSSandbox(t)
	before := snapshot(t, sb)
	args := append([]string{"apply"}, with(sb.ApplyArgs(), "--domain", "*.example.test")...)
	out, code := run(t, args...)
	if code != 2 || !strings.Contains(out, "HTTP-01 cannot prove a wildcard") || !strings.Contains(out, "--challenge dns-01") {
		t.Errorf("wildcard with HTTP-01: exit %d:\n%s", code, out)
	}
	out, code = run(t, dnsApplyArgs(sb, "rfc2163")...)
	if code != 2 || !strings.Contains(out, "did you mean") || !strings.Contains(out, "rfc2136") {
		t.Errorf("unknown provider: exit %d:\n%s", code, out)
	}
	// Manual DNS without a terminal cannot ask anyone.
	out, code = run(t, dnsApplyArgs(sb, "manual")...)
	if code != 2 || !strings.Contains(out, "needs a terminal") {
		t.Errorf("manual without a terminal: exit %d:\n%s", code, out)
	}
	requireSameFiles(t, before, snapshot(t, sb))
}

// Manual DNS through apply on a terminal: the test plays the user. When
// the records are shown it adds them with nsupdate and presses Enter; the
// certificate is issued for both names.
func TestApplyDNS01Manual(t *testing.T) {
	sb := newDNSSandbox(t)
	tm := startTerm(t, dnsApplyArgs(sb, "manual")...)
	tm.waitFor(90*time.Second, "Press Enter once")
	screen := tm.tmux("capture-pane", "-p", "-J", "-S", "-100", "-t", tm.name)
	var names, values []string
	for _, line := range strings.Split(screen, "\n") {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "name:"); ok {
			names = append(names, strings.TrimSpace(v))
		}
		if v, ok := strings.CutPrefix(line, "value:"); ok {
			values = append(values, strings.TrimSpace(v))
		}
	}
	if len(names) != 2 || len(values) != 2 || names[0] != "_acme-challenge.example.test" || names[1] != names[0] || values[0] == values[1] {
		t.Fatalf("records shown: names %q values %q\n%s", names, values, screen)
	}
	var cmds []string
	for i := range names {
		cmds = append(cmds, fmt.Sprintf("update add %s. 60 TXT %q", names[i], values[i]))
	}
	if err := sb.BIND.NSUpdate(cmds...); err != nil {
		t.Fatal(err)
	}
	tm.keys("Enter")
	final := tm.waitFor(90*time.Second, "WIZARD-EXIT=")
	if !strings.Contains(final, "WIZARD-EXIT=0") {
		t.Fatalf("apply failed:\n%s", tm.tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", tm.name))
	}
	if got := servedNames(t, sb, "www.example.test"); !slices.Contains(got, "*.example.test") {
		t.Errorf("served %v, want the wildcard", got)
	}
}

// With the credentials in the environment (the provider's own names) and
// --verbose, the TSIG secret shows nowhere: not in the output, the
// process list or another process's environment while the run goes on,
// request.json, or any file but the 0600 copy in the state dir.
func TestApplyDNS01SecretsStayPut(t *testing.T) {
	sb := newDNSSandbox(t)
	secret := sb.BIND.KeySecret
	cmd := exec.Command(binary, dnsApplyArgs(sb, "rfc2136", "--verbose")...)
	cmd.Env = append(os.Environ(), rfc2136Env(sb)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var leaks []string
	polls := 0
	for running := true; running; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("apply: %v\n%s", err, out.String())
			}
			running = false
		case <-time.After(20 * time.Millisecond):
			polls++
			ps, _ := exec.Command("ps", "-eo", "pid,args").Output()
			if bytes.Contains(ps, []byte(secret)) {
				leaks = append(leaks, "the process list")
			}
			envs, _ := filepath.Glob("/proc/[0-9]*/environ")
			for _, env := range envs {
				if env == fmt.Sprintf("/proc/%d/environ", cmd.Process.Pid) {
					continue // the run's own: the user put it there
				}
				if b, err := os.ReadFile(env); err == nil && bytes.Contains(b, []byte(secret)) {
					leaks = append(leaks, env)
				}
			}
		}
	}
	if polls == 0 {
		t.Fatal("the process list was never looked at")
	}
	if strings.Contains(out.String(), secret) {
		leaks = append(leaks, "apply's output")
	}
	// Files: all of the sandbox but BIND's own config (which has the key).
	var saved []string
	bindDir := filepath.Dir(sb.BIND.KeyFile)
	filepath.Walk(sb.Dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || strings.HasPrefix(p, bindDir+string(filepath.Separator)) || !info.Mode().IsRegular() {
			return nil
		}
		b, _ := os.ReadFile(p)
		if !bytes.Contains(b, []byte(secret)) {
			return nil
		}
		if filepath.Dir(p) == sb.StateDir && info.Mode().Perm() == 0o600 {
			saved = append(saved, p)
			return nil
		}
		leaks = append(leaks, p)
		return nil
	})
	if len(leaks) > 0 {
		t.Errorf("the TSIG secret leaked to %s\n%s", strings.Join(slices.Compact(leaks), ", "), out.String())
	}
	if len(saved) != 1 {
		t.Errorf("the credentials are in %v, want one 0600 file in the state dir", saved)
	}
	b, _ := os.ReadFile(filepath.Join(sb.StateDir, "archive", "example.test", "request.json"))
	if !strings.Contains(string(b), `"dns_credentials_file"`) || strings.Contains(string(b), secret) {
		t.Errorf("request.json:\n%s", b)
	}
}

// The wizard, driven in tmux like a person: a wildcard + apex site goes
// to DNS-01 by itself, the provider is picked by typing its code, the
// RFC 2136 credentials are typed into the form (the secret masked) and
// checked (ctrl+t, through the DNS provider helper), and the certificate
// is issued through the real BIND and installed.
func TestWizardDNS01WildcardThroughRFC2136(t *testing.T) {
	sb := newDNSSandbox(t)
	args := with(wizardArgs(sb), "--dns-server", sb.BIND.Addr)
	args = append(args, "--domain", "example.test", "--domain", "*.example.test", "--upstream", "unix:"+sb.AppSocket,
		"--dns-resolver", sb.BIND.Addr, "--dns-ns-port", strconv.Itoa(sb.BIND.Port))
	tm := startTerm(t, args...)
	const step, issuance = 15 * time.Second, 90 * time.Second
	tm.waitFor(step, "Step 2 of 9", "*.example.test")
	tm.keys("Enter")
	s := tm.waitFor(step, "Step 3 of 9", "› Email")
	if !strings.Contains(s, "DNS-01") {
		t.Fatalf("a wildcard did not lead to DNS-01:\n%s", s)
	}
	tm.typeText("admin@example.org")
	tm.keys("Enter")
	tm.waitFor(step, "› Do you accept", "Terms: ")
	tm.keys("y")
	tm.waitFor(step, "Filter:")
	tm.typeText("rfc2136")
	tm.keys("Enter")
	tm.waitFor(step, "DNSUPDATE_NAMESERVER")
	tm.typeText(sb.BIND.Addr)
	tm.keys("C-o")
	tm.waitFor(step, "DNSUPDATE_TSIG_ALGORITHM")
	tm.typeText(sb.BIND.KeyAlgorithm)
	tm.keys("Tab")
	tm.typeText(sb.BIND.KeyName)
	tm.keys("Tab")
	tm.typeText(sb.BIND.KeySecret)
	if strings.Contains(tm.screen(), sb.BIND.KeySecret) {
		t.Fatal("the TSIG secret is on the screen")
	}
	// ctrl+t checks the credentials: lego builds the provider in the DNS
	// provider helper, and the zone is found through BIND.
	tm.keys("C-t")
	tm.waitFor(step, "accepted the credentials.")
	tm.keys("Enter")
	tm.waitFor(issuance, "Step 5 of 9")
	tm.keys("Enter")
	tm.waitFor(step, "Step 6 of 9")
	tm.keys("Enter")
	tm.waitFor(step, "Step 7 of 9", "Apply these changes?")
	tm.keys("y")
	tm.waitFor(issuance, "Step 9 of 9", "is live")
	tm.keys("Enter")
	tm.waitFor(step, "WIZARD-EXIT=0")
	scrollback := tm.tmux("capture-pane", "-p", "-J", "-S", "-500", "-t", tm.name)
	if strings.Contains(scrollback, sb.BIND.KeySecret) {
		t.Error("the TSIG secret is in the terminal's scrollback")
	}
	for _, name := range []string{"example.test", "www.example.test"} {
		if got := servedNames(t, sb, name); !slices.Contains(got, "*.example.test") || !slices.Contains(got, "example.test") {
			t.Errorf("%s is served %v", name, got)
		}
	}
}
