package provision

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// requireNoControls fails on a byte a terminal would act on.
func requireNoControls(t *testing.T, s string) {
	t.Helper()
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) {
			t.Fatalf("control %U in %q", r, s)
		}
	}
}

// nginx's own output is outside text too (it echoes config values).
func TestCheckErrorEscapesNginxOutput(t *testing.T) {
	err := &CheckError{Command: "nginx -t", Output: "nginx: [emerg] unknown directive \"\x1b[2J\" in /etc/nginx/x.conf:1"}
	requireNoControls(t, err.Error())
	if !strings.Contains(err.Error(), `\x1b[2J`) {
		t.Fatalf("not shown escaped: %q", err.Error())
	}
}

// Every engine event is cleaned where it is made.
func TestEventsAreCleaned(t *testing.T) {
	var got []Event
	sink := Sink(func(e Event) { got = append(got, e) })
	sink.emit(PhaseIssue, KindFail, "%v", "the CA says \x1b[2J\r✓ all good")
	requireNoControls(t, got[0].Message)
}

// Any local user names their own process: preflight's port owner is shown
// with controls escaped. The listener is this test binary started again
// through a link whose name (the process's comm) carries a screen clear.
func TestPortOwnerNameIsCleaned(t *testing.T) {
	link := filepath.Join(t.TempDir(), "\x1b[2Jevil")
	if err := os.Symlink(os.Args[0], link); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(link, "-test.run=^TestListenerHelper$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", listenerHelperEnv, port))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	var u PortUse
	for i := 0; i < 200; i++ {
		if u = PortUser(port); u.PID != 0 {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if u.PID != cmd.Process.Pid || !strings.Contains(u.Process, `\x1b[2Jevil`) {
		t.Fatalf("port owner = %+v", u)
	}
	requireNoControls(t, u.Process)
}

const listenerHelperEnv = "HTTPSIFY_TEST_LISTEN_PORT"

// TestListenerHelper is the listener above; it does nothing in a normal run.
func TestListenerHelper(t *testing.T) {
	port := os.Getenv(listenerHelperEnv)
	if port == "" {
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	time.Sleep(30 * time.Second)
}
