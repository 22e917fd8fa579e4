package nginx

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// After commit's reload, a connection must never reach a worker of the old
// configuration: a CA validating the challenge right after would read the
// old config. Here each round swaps the answer of a private nginx, and
// every fresh connection after the settled reload must get the new one.
func TestReloadSettlesBeforeReturning(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	conf := filepath.Join(dir, "nginx.conf")
	site := filepath.Join(dir, "site.conf")
	main := fmt.Sprintf(`worker_processes 2;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events {}
http {
	access_log off;
	client_body_temp_path %[1]s/body;
	proxy_temp_path %[1]s/proxy;
	fastcgi_temp_path %[1]s/fastcgi;
	uwsgi_temp_path %[1]s/uwsgi;
	scgi_temp_path %[1]s/scgi;
	include %[2]s;
}
`, dir, site)
	writeSite := func(answer string) {
		t.Helper()
		body := fmt.Sprintf("server { listen 127.0.0.1:%d; return 200 %q; }\n", port, answer)
		if err := os.WriteFile(site, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(conf, []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	writeSite("gen-0")
	n := Nginx{Bin: "/usr/sbin/nginx", Conf: conf}
	pidFile := filepath.Join(dir, "nginx.pid")
	if out, err := exec.Command(n.Bin, "-c", conf).CombinedOutput(); err != nil {
		t.Fatalf("starting nginx: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		master := n.PID(pidFile)
		exec.Command(n.Bin, "-c", conf, "-s", "quit").Run()
		for i := 0; i < 100 && master != 0 && n.PID(pidFile) != 0; i++ {
			time.Sleep(50 * time.Millisecond)
		}
	})
	hc := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil}}
	get := func() string {
		resp, err := hc.Get(fmt.Sprintf("http://127.0.0.1:%d/", port))
		if err != nil {
			return err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	for deadline := time.Now().Add(10 * time.Second); get() != "gen-0"; {
		if time.Now().After(deadline) {
			t.Fatal("nginx never answered")
		}
		time.Sleep(50 * time.Millisecond)
	}

	ctx := context.Background()
	for round := 1; round <= 6; round++ {
		want := fmt.Sprintf("gen-%d", round)
		writeSite(want)
		old := masterChildren(n, pidFile)
		if len(old) == 0 {
			t.Fatal("no workers found under the master")
		}
		// Two reloads back to back, as a recovery followed by the
		// challenge edit does, widen the window the most.
		if round%2 == 0 {
			if err := n.Reload(ctx, true); err != nil {
				t.Fatal(err)
			}
		}
		if err := n.Reload(ctx, true); err != nil {
			t.Fatal(err)
		}
		if !waitRetired(ctx, old, 5*time.Second) {
			t.Fatalf("round %d: the old workers %v never retired", round, old)
		}
		for i := 0; i < 100; i++ {
			if got := get(); got != want {
				t.Fatalf("round %d, request %d after the settled reload: got %q, want %q", round, i, got, want)
			}
		}
	}
}
