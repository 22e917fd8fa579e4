package sandbox

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSandbox(t *testing.T) {
	base := testBase(t)
	s, err := Start(Options{Dir: t.TempDir(), BasePort: base})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	pids := sandboxPIDs(t, s)

	t.Run("site through nginx", func(t *testing.T) {
		body := get(t, s.HTTPClient(), "http://"+s.Domain+"/")
		for _, want := range []string{"Hello from the demo app", "X-Forwarded-Proto: http\n", "Host: " + s.Domain} {
			if !strings.Contains(body, want) {
				t.Errorf("body lacks %q:\n%s", want, body)
			}
		}
	})

	t.Run("upload through nginx", func(t *testing.T) {
		// Larger than nginx's in-memory body buffer, so workers (nobody)
		// must write the temp file under Dir.
		const n = 200 << 10
		resp, err := s.HTTPClient().Post("http://"+s.Domain+"/upload", "application/octet-stream", strings.NewReader(strings.Repeat("x", n)))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := strings.TrimSpace(string(b)); got != strconv.Itoa(n) {
			t.Errorf("upload: %s %q, want %d", resp.Status, got, n)
		}
	})

	t.Run("site file is enabled by symlink", func(t *testing.T) {
		target, err := os.Readlink(filepath.Join(s.Dir, "nginx", "sites-enabled", "app"))
		if err != nil || target != s.SiteFile {
			t.Errorf("sites-enabled/app -> %q (%v), want %q", target, err, s.SiteFile)
		}
	})

	t.Run("pebble directory with CARootFile", func(t *testing.T) {
		pemBytes, err := os.ReadFile(s.CARootFile)
		if err != nil {
			t.Fatal(err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pemBytes) {
			t.Fatal("no cert in CARootFile")
		}
		c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		var dir map[string]any
		if err := json.Unmarshal([]byte(get(t, c, s.CADirURL)), &dir); err != nil {
			t.Fatal(err)
		}
		if dir["newAccount"] == nil || dir["newOrder"] == nil {
			t.Errorf("directory lacks newAccount/newOrder: %v", dir)
		}
	})

	t.Run("challtestsrv resolves the domain to 127.0.0.1 only", func(t *testing.T) {
		r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", fmt.Sprintf("127.0.0.1:%d", s.dnsPort))
		}}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		addrs, err := r.LookupHost(ctx, s.Domain)
		if err != nil || len(addrs) != 1 || addrs[0] != "127.0.0.1" {
			t.Errorf("LookupHost(%s) = %v, %v; want [127.0.0.1]", s.Domain, addrs, err)
		}
	})

	t.Run("issuer roots", func(t *testing.T) {
		roots, err := s.IssuerRoots()
		if err != nil {
			t.Fatal(err)
		}
		if !x509.NewCertPool().AppendCertsFromPEM(roots) {
			t.Errorf("IssuerRoots is not a PEM certificate:\n%s", roots)
		}
	})

	t.Run("apply args", func(t *testing.T) {
		args := strings.Join(s.ApplyArgs(), " ")
		for _, want := range []string{"--ca " + s.CADirURL, "--nginx-conf " + s.NginxConf, "--http-port " + strconv.Itoa(base), "--https-port " + strconv.Itoa(base+1), "--yes"} {
			if !strings.Contains(args, want) {
				t.Errorf("ApplyArgs lacks %q: %s", want, args)
			}
		}
	})

	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	for name, pid := range pids {
		if !processGone(pid) {
			t.Errorf("%s (pid %d) still running after Stop", name, pid)
		}
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

func TestStartRejectsBusyPort(t *testing.T) {
	base := testBase(t)
	busy := strconv.Itoa(base + 5)
	l, err := net.Listen("tcp", "127.0.0.1:"+busy)
	if err != nil {
		t.Fatal("cannot occupy the port for the test:", err)
	}
	defer l.Close()
	_, err = Start(Options{Dir: t.TempDir(), BasePort: base})
	if err == nil || !strings.Contains(err.Error(), busy) {
		t.Fatalf("Start with a busy port: err = %v, want one naming port %s", err, busy)
	}
}

// sandboxPIDs lists every process the sandbox runs: pebble, challtestsrv,
// the nginx master and its workers.
func sandboxPIDs(t *testing.T, s *Sandbox) map[string]int {
	pids := map[string]int{
		"pebble":       s.pebble.cmd.Process.Pid,
		"challtestsrv": s.chall.cmd.Process.Pid,
		"nginx master": s.nginxPID,
	}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(fields) > 1 && fields[1] == strconv.Itoa(s.nginxPID) {
			pids["nginx worker "+e.Name()] = pid
		}
	}
	if len(pids) < 4 {
		t.Fatalf("found no nginx workers under master %d", s.nginxPID)
	}
	return pids
}

func get(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", url, resp.Status, b)
	}
	return string(b)
}
