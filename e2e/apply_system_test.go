package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The distribution's own nginx, as `sudo httpsify apply` meets it: the
// default /etc/nginx/nginx.conf (with Debian's TLSv1 line), a site in
// sites-available linked from sites-enabled, reloads through the init
// system. The test puts /etc/nginx back exactly as it found it.
func TestApplySystemNginx(t *testing.T) {
	sb := newSandbox(t)
	// The sandbox's private nginx steps aside; the system one takes its ports.
	if out, err := exec.Command(sb.NginxBin, "-c", sb.NginxConf, "-s", "quit").CombinedOutput(); err != nil {
		t.Fatalf("stopping the private nginx: %v %s", err, out)
	}
	waitClosed(t, sb.HTTPPort)

	const conf = "/etc/nginx/nginx.conf"
	original, err := os.ReadFile(conf)
	if err != nil {
		t.Fatalf("the system nginx is not installed (e2e/install-deps.sh installs it): %v", err)
	}
	avail := "/etc/nginx/sites-available/httpsify-e2e"
	link := "/etc/nginx/sites-enabled/httpsify-e2e"
	site := fmt.Sprintf("server {\n\tlisten %d;\n\tserver_name %s;\n\tlocation / {\n\t\tinclude proxy_params;\n\t\tproxy_pass http://unix:%s;\n\t}\n}\n", sb.HTTPPort, sb.Domain, sb.AppSocket)
	if err := os.WriteFile(avail, []byte(site), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(avail, link); err != nil {
		t.Fatal(err)
	}
	wasRunning := exec.Command("service", "nginx", "status").Run() == nil
	t.Cleanup(func() {
		os.Remove(link)
		os.Remove(avail)
		os.WriteFile(conf, original, 0o644)
		if wasRunning {
			exec.Command("service", "nginx", "reload").Run()
		} else {
			exec.Command("service", "nginx", "stop").Run()
		}
	})
	action := "reload"
	if !wasRunning {
		action = "start"
	}
	if out, err := exec.Command("service", "nginx", action).CombinedOutput(); err != nil {
		t.Fatalf("service nginx %s: %v %s", action, err, out)
	}
	waitOpen(t, sb.HTTPPort)

	var args []string
	for i := 0; i < len(sb.ApplyArgs()); i++ {
		a := sb.ApplyArgs()[i]
		if a == "--nginx-conf" || a == "--nginx-bin" {
			i++ // the defaults: the system nginx on PATH
			continue
		}
		args = append(args, a)
	}
	out, code := run(t, append([]string{"apply"}, args...)...)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	if !strings.Contains(out, "service nginx reload") && !strings.Contains(out, "systemctl reload nginx") {
		t.Errorf("the system nginx was not reloaded through the init system:\n%s", out)
	}
	if status, body := getHTTPS(t, sb, "/"); status != 200 || !strings.Contains(body, "X-Forwarded-Proto: https") {
		t.Fatalf("https / = %d %q", status, body)
	}
	if got, _ := os.Readlink(link); got != avail {
		t.Errorf("the sites-enabled link was replaced: %q", got)
	}
	newConf, _ := os.ReadFile(conf)
	if !strings.Contains(string(newConf), "ssl_protocols TLSv1.2 TLSv1.3;") {
		t.Error("Debian's global ssl_protocols line was not fixed")
	}
	requireProtocols(t, sb)
	if b, _ := os.ReadFile(filepath.Join(sb.StateDir, "live", sb.Domain, "fullchain.pem")); !strings.Contains(string(b), "BEGIN CERTIFICATE") {
		t.Error("no certificate installed")
	}
}
