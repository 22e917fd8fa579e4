package dnschallenge

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/httpsify/httpsify/provision/dnschallenge/dnshelper"
)

// execProvider is lego's exec provider, a real provider that needs no
// network, running a script in dir that logs its arguments and what its
// parent (the helper) was started with. The catalog lists no variables
// for exec, so the credentials are built directly.
func execProvider(t *testing.T, dir string, extra map[string]string) Credentials {
	t.Helper()
	script := filepath.Join(dir, "dns.sh")
	body := `#!/bin/sh
echo "$*" >> "` + dir + `/calls"
tr '\0' '\n' < /proc/$PPID/cmdline > "` + dir + `/helper-argv"
tr '\0' '\n' < /proc/$PPID/environ > "` + dir + `/helper-environ-at-start"
env > "` + dir + `/provider-env"
case "$3" in
fail.example.test) echo "the API said no"; exit 3 ;;
slow.example.test) sleep 5 ;;
esac
`
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	values := map[string]string{"EXEC_PATH": script, "EXEC_MODE": "RAW"}
	for k, v := range extra {
		values[k] = v
	}
	return Credentials{provider: "exec", values: values}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// The helper runs the provider: present and cleanup reach it with lego's
// arguments; its timeout, interval and sequence interval come back as
// lego's in-process provider has them; the credentials reach the
// provider but were never in the helper's argv or its environment at
// start, and nothing of httpsify's own environment but what it passed.
func TestHelperRunsTheProvider(t *testing.T) {
	t.Setenv("HTTPSIFY_TEST_AMBIENT", "must-not-reach-the-helper")
	dir := t.TempDir()
	c := execProvider(t, dir, map[string]string{
		"EXEC_PROPAGATION_TIMEOUT": "7", "EXEC_POLLING_INTERVAL": "3", "EXEC_SEQUENCE_INTERVAL": "11",
	})
	prov, err := OpenProvider(context.Background(), testHelper(t), c)
	if err != nil {
		t.Fatal(err)
	}
	defer prov.Close()
	if timeout, interval := prov.Timeout(); timeout != 7*time.Second || interval != 3*time.Second {
		t.Errorf("Timeout() = %s, %s; want the provider's 7s, 3s", timeout, interval)
	}
	seq, ok := prov.(interface{ Sequential() time.Duration })
	if !ok || seq.Sequential() != 11*time.Second {
		t.Errorf("Sequential missing or wrong (%v): the provider's is 11s", ok)
	}
	if err := prov.Present("example.test", "tok", "tok.thumb"); err != nil {
		t.Fatal(err)
	}
	if err := prov.CleanUp("example.test", "tok", "tok.thumb"); err != nil {
		t.Fatal(err)
	}
	calls := readLines(t, filepath.Join(dir, "calls"))
	want := []string{"present -- example.test tok tok.thumb", "cleanup -- example.test tok tok.thumb"}
	if strings.Join(calls, "|") != strings.Join(want, "|") {
		t.Errorf("provider calls %q, want %q", calls, want)
	}
	argv := readLines(t, filepath.Join(dir, "helper-argv"))
	if len(argv) != 1 || filepath.Base(argv[0]) != HelperName {
		t.Errorf("helper argv %q, want its path alone", argv)
	}
	for _, kv := range readLines(t, filepath.Join(dir, "helper-environ-at-start")) {
		if !strings.HasPrefix(kv, "PATH=") {
			t.Errorf("helper started with %q in its environment; want only the given PATH", kv)
		}
	}
	env := strings.Join(readLines(t, filepath.Join(dir, "provider-env")), "\n")
	if !strings.Contains(env, "EXEC_PROPAGATION_TIMEOUT=7") || strings.Contains(env, "HTTPSIFY_TEST_AMBIENT") {
		t.Errorf("provider environment: want the credentials and nothing of httpsify's:\n%s", env)
	}
}

// A provider's failure comes back typed, with its message.
func TestHelperProviderErrorIsTyped(t *testing.T) {
	prov, err := OpenProvider(context.Background(), testHelper(t), execProvider(t, t.TempDir(), nil))
	if err != nil {
		t.Fatal(err)
	}
	defer prov.Close()
	err = prov.Present("fail.example.test", "tok", "tok.thumb")
	var he *HelperError
	if !errors.As(err, &he) || he.Kind != dnshelper.KindPresent || he.Provider != "exec" {
		t.Fatalf("Present error %#v, want a HelperError of kind present", err)
	}
	// The helper is still there for the next call.
	if err := prov.CleanUp("example.test", "tok", "tok.thumb"); err != nil {
		t.Errorf("cleanup after a failed present: %v", err)
	}
}

// The helper ends when its stdin closes (Close), and is killed when the
// context ends, even in the middle of a call.
func TestHelperEndsOnCloseAndOnCancel(t *testing.T) {
	prov, err := OpenProvider(context.Background(), testHelper(t), execProvider(t, t.TempDir(), nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := prov.Close(); err != nil {
		t.Errorf("Close: %v (want a clean exit on end of input)", err)
	}
	if st := prov.(*sequentialRemote).cmd.ProcessState; st == nil || !st.Exited() || st.ExitCode() != 0 {
		t.Errorf("helper after Close: %v, want exited 0", st)
	}
	var he *HelperExitedError
	if err := prov.Present("example.test", "t", "k"); !errors.As(err, &he) {
		t.Errorf("Present after Close: %v, want HelperExitedError", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	prov, err = OpenProvider(ctx, testHelper(t), execProvider(t, t.TempDir(), nil))
	if err != nil {
		t.Fatal(err)
	}
	defer prov.Close()
	pid := prov.(*sequentialRemote).cmd.Process.Pid
	time.AfterFunc(200*time.Millisecond, cancel)
	if err := prov.Present("slow.example.test", "t", "k"); !errors.Is(err, context.Canceled) {
		t.Errorf("Present when the context ends: %v, want context.Canceled", err)
	}
	prov.Close()
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("helper pid %d still there after cancel: %v", pid, err)
	}
}

// A helper that cannot start is a typed error naming it.
func TestHelperThatCannotStart(t *testing.T) {
	_, err := OpenProvider(context.Background(), Helper{Path: filepath.Join(t.TempDir(), HelperName)}, execProvider(t, t.TempDir(), nil))
	var he *HelperExitedError
	if !errors.As(err, &he) {
		t.Errorf("%#v, want HelperExitedError", err)
	}
}

// The helper refuses what the protocol does not allow, by kind, and
// stays up: an operation before open, an unknown code, lego's manual
// provider (it would read the helper's stdin), a second open, a line
// that is not JSON.
func TestHelperProtocolRefusals(t *testing.T) {
	cmd := exec.Command(helperBinary(t))
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	lines := []string{
		`{"op":"present","domain":"example.test","token":"t","key_auth":"k"}`,
		`{"op":"open","provider":"no-such-provider"}`,
		`{"op":"open","provider":"manual"}`,
		`{"op":"open","provider":"rfc2136","values":{"DNSUPDATE_NAMESERVER":"127.0.0.1:1"}}`,
		`{"op":"open","provider":"rfc2136","values":{"DNSUPDATE_NAMESERVER":"127.0.0.1:1"}}`,
		`not json`,
		`{"op":"frobnicate"}`,
	}
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	want := []dnshelper.Kind{dnshelper.KindProtocol, dnshelper.KindUnknownProvider, dnshelper.KindUnknownProvider, "", dnshelper.KindProtocol, dnshelper.KindProtocol, dnshelper.KindProtocol}
	got := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(got) != len(want) {
		t.Fatalf("%d answers to %d requests:\n%s", len(got), len(want), out)
	}
	for i, line := range got {
		var resp dnshelper.Response
		if err := json.Unmarshal([]byte(line), &resp); err != nil {
			t.Fatalf("answer %d %q: %v", i, line, err)
		}
		kind := dnshelper.Kind("")
		if resp.Error != nil {
			kind = resp.Error.Kind
		}
		if kind != want[i] {
			t.Errorf("request %s: answer %s, want kind %q", lines[i], line, want[i])
		}
	}
}
