package provision

import (
	"net"
	"os"
	"path/filepath"
	"testing"
)

// PortUser finds this very test process listening on a loopback port.
func TestPortUser(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	u := PortUser(port)
	if !u.Listening || u.PID != os.Getpid() {
		t.Fatalf("port %d: %+v, want this process (pid %d)", port, u, os.Getpid())
	}
	l.Close()
	if u := PortUser(port); u.Listening {
		t.Fatalf("closed port still listening: %+v", u)
	}
}

// A live directory that is not httpsify's shows as an error, not a crash.
func TestManagedCerts(t *testing.T) {
	dir := t.TempDir()
	if got := ManagedCerts(dir); len(got) != 0 {
		t.Fatalf("empty state dir: %+v", got)
	}
	if err := os.MkdirAll(filepath.Join(dir, "live", "www.example.test"), 0o755); err != nil {
		t.Fatal(err)
	}
	got := ManagedCerts(dir)
	if len(got) != 1 || got[0].Err == nil {
		t.Fatalf("got %+v", got)
	}
}
