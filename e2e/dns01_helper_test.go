package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// httpsifyAlone is the built httpsify copied into a directory of its own,
// without the DNS provider helper beside it or in ../lib/httpsify.
func httpsifyAlone(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bin", "httpsify")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// Without the helper installed, DNS-01 through a provider fails (exit 1)
// before anything changes, saying what to install and where it was
// looked for; HTTP-01 still issues and deploys with the same binary.
func TestApplyDNS01WithoutHelper(t *testing.T) {
	bin := httpsifyAlone(t)
	sb := newDNSSandbox(t)
	before := snapshot(t, sb)
	out, code := runBinary(t, bin, rfc2136Env(sb), dnsApplyArgs(sb, "rfc2136")...)
	if code != 1 || !strings.Contains(out, "httpsify-dns-provider, which is not installed") || !strings.Contains(out, filepath.Dir(bin)) {
		t.Errorf("DNS-01 through rfc2136 without the helper: exit %d:\n%s", code, out)
	}
	requireSameFiles(t, before, snapshot(t, sb))

	plain := newSandbox(t)
	if out, code := runBinary(t, bin, nil, append([]string{"apply"}, plain.ApplyArgs()...)...); code != 0 {
		t.Errorf("HTTP-01 without the helper: exit %d:\n%s", code, out)
	}
}

// Credentials lego refuses (in the helper) are the credentials' error:
// exit 2, naming the variable, nothing changed.
func TestApplyDNS01CredentialsRefusedByTheProvider(t *testing.T) {
	sb := newDNSSandbox(t)
	before := snapshot(t, sb)
	env := []string{"DNSUPDATE_TSIG_KEY=" + sb.BIND.KeyName, "DNSUPDATE_TSIG_SECRET=" + sb.BIND.KeySecret}
	out, code := runEnv(t, env, dnsApplyArgs(sb, "rfc2136")...)
	if code != 2 || !strings.Contains(out, "DNSUPDATE_NAMESERVER") || !strings.Contains(out, "--dns-credentials") {
		t.Errorf("rfc2136 without its nameserver: exit %d:\n%s", code, out)
	}
	if strings.Contains(out, sb.BIND.KeySecret) {
		t.Error("the TSIG secret was printed")
	}
	requireSameFiles(t, before, snapshot(t, sb))
}
