// Package e2e drives the real httpsify binary against a real sandbox: a
// private nginx, Pebble and a demo app on a unix socket, all on loopback.
package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/sandbox"
	"github.com/httpsify/httpsify/provision/dnschallenge"
	"github.com/httpsify/httpsify/provision/dnschallenge/dnshelper/helpertest"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "httpsify-e2e-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "httpsify")
	build := exec.Command("go", "build", "-o", binary, "../cmd/httpsify")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building httpsify:", err)
		os.Exit(1)
	}
	// DNS-01 through a provider runs lego's providers in the helper,
	// which httpsify finds beside itself.
	if err := helpertest.Build(filepath.Join(dir, dnschallenge.HelperName)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// basePort claims a block of ports no other sandbox uses, so tests never
// see each other's servers, in this process or another.
func basePort(t *testing.T) int {
	t.Helper()
	base, err := sandbox.FreeBasePort()
	if err != nil {
		t.Fatal(err)
	}
	return base
}

func newSandbox(t *testing.T) *sandbox.Sandbox {
	t.Helper()
	sb, err := sandbox.Start(sandbox.Options{Dir: t.TempDir(), BasePort: basePort(t)})
	if err != nil {
		t.Fatalf("starting the sandbox: %v", err)
	}
	t.Cleanup(func() { sb.Stop() })
	return sb
}

// run executes httpsify and returns its combined output and exit code.
func run(t *testing.T, args ...string) (string, int) {
	t.Helper()
	return runEnv(t, nil, args...)
}

// runEnv is run with extra environment variables (KEY=value).
func runEnv(t *testing.T, env []string, args ...string) (string, int) {
	t.Helper()
	return runBinary(t, binary, env, args...)
}

// runBinary runs bin with extra environment variables and returns its
// combined output and exit code.
func runBinary(t *testing.T, bin string, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &ee):
		return out.String(), ee.ExitCode()
	}
	t.Fatalf("running %s: %v", bin, err)
	return "", -1
}

// with replaces (or adds) a flag in an argument list.
func with(args []string, flag, value string) []string {
	out := append([]string(nil), args...)
	for i := 0; i < len(out)-1; i++ {
		if out[i] == flag {
			out[i+1] = value
			return out
		}
	}
	return append(out, flag, value)
}

// snapshot records the bytes of every file under the nginx directory, so
// a test can assert that a failed run left them byte for byte as before.
func snapshot(t *testing.T, sb *sandbox.Sandbox) map[string]string {
	t.Helper()
	snap := map[string]string{}
	root := filepath.Dir(sb.NginxConf)
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || strings.HasPrefix(p, filepath.Join(root, "tmp")) {
			return nil
		}
		if info.Mode()&os.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			snap[p] = "link:" + target
			return nil
		}
		b, _ := os.ReadFile(p)
		snap[p] = string(b)
		return nil
	})
	return snap
}

func requireSameFiles(t *testing.T, before, after map[string]string) {
	t.Helper()
	for p, b := range before {
		if a, ok := after[p]; !ok {
			t.Errorf("%s was removed", p)
		} else if a != b {
			t.Errorf("%s changed:\n--- before\n%s\n--- after\n%s", p, b, a)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s was created", p)
		}
	}
}

// getHTTPS fetches / over https through nginx, trusting only Pebble's root.
func getHTTPS(t *testing.T, sb *sandbox.Sandbox, path string) (int, string) {
	t.Helper()
	roots, err := sb.IssuerRoots()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := sb.HTTPSClient(roots).Get(fmt.Sprintf("https://%s:%d%s", sb.Domain, sb.HTTPSPort, path))
	if err != nil {
		t.Fatalf("https request: %v", err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

func getHTTP(t *testing.T, sb *sandbox.Sandbox, path string) (int, string, string) {
	t.Helper()
	resp, err := sb.HTTPClient().Get(fmt.Sprintf("http://%s:%d%s", sb.Domain, sb.HTTPPort, path))
	if err != nil {
		t.Fatalf("http request: %v", err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), b.String()
}

func waitClosed(t *testing.T, port int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			return
		}
		c.Close()
	}
	t.Fatalf("port %d still answers", port)
}

func waitOpen(t *testing.T, port int) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("nothing answers on port %d", port)
}
