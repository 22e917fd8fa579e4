package e2e

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

// certbotDHParams is Debian's copy of the DH parameters certbot's nginx
// installer writes to <config-dir>/ssl-dhparams.pem (package python3-certbot).
const certbotDHParams = "/usr/lib/python3/dist-packages/certbot/ssl-dhparams.pem"

// certbotRun runs Debian's certbot on a private config, work and logs dir,
// trusting Pebble's listener CA, with an empty cli.ini (never the host's
// /etc/letsencrypt/cli.ini), as bench/ drives it.
type certbotRun struct {
	sb                 *sandbox.Sandbox
	home, config, work string
	logs, ini, webroot string
	lineage            string
}

func newCertbotRun(t *testing.T, sb *sandbox.Sandbox) *certbotRun {
	t.Helper()
	home := t.TempDir()
	c := &certbotRun{sb: sb, home: home, config: filepath.Join(home, "letsencrypt"), work: filepath.Join(home, "work"),
		logs: filepath.Join(home, "logs"), ini: filepath.Join(home, "cli.ini"), webroot: filepath.Join(sb.Dir, "certbot-webroot"), lineage: sb.Domain}
	if err := os.WriteFile(c.ini, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(c.webroot, 0o755); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *certbotRun) run(t *testing.T, args ...string) (string, int) {
	t.Helper()
	args = append(args, "-c", c.ini, "--config-dir", c.config, "--work-dir", c.work, "--logs-dir", c.logs, "--non-interactive")
	cmd := exec.Command("certbot", args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + c.home, "REQUESTS_CA_BUNDLE=" + c.sb.CARootFile}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running certbot: %v", err)
	}
	return out.String(), 0
}

func (c *certbotRun) renewalConf() string {
	return filepath.Join(c.config, "renewal", c.lineage+".conf")
}

// liveLeaf is the certificate certbot's live/NAME/cert.pem names now.
func (c *certbotRun) liveLeaf(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.config, "live", c.lineage, "cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatalf("certbot's cert.pem holds no certificate")
	}
	return blk.Bytes
}

func writeSiteAndReload(t *testing.T, sb *sandbox.Sandbox, text string) {
	t.Helper()
	if err := os.WriteFile(sb.SiteFile, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := sb.Reload(); err != nil {
		t.Fatal(err)
	}
}

// waitServed waits until nginx serves the certificate whose DER is want
// (a reload is asynchronous) and fails otherwise.
func waitServed(t *testing.T, sb *sandbox.Sandbox, want []byte, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := dialLeaf(sb)
		if err == nil && bytes.Equal(got.Raw, want) {
			return
		}
		if time.Now().After(deadline) {
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			t.Fatalf("%s: nginx serves serial %s", what, got.SerialNumber.Text(16))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The site before HTTPS, with the webroot location `certbot certonly
// --webroot` answers from.
const certbotWebrootSite = `server {
	listen %[1]d;
	server_name %[2]s;

	location /.well-known/acme-challenge/ {
		root %[3]s;
	}

	location / {
		include proxy_params;
		proxy_pass http://unix:%[4]s;
	}
}
`

// The same site as certbot's nginx installer leaves it (certbot --nginx
// --redirect): the TLS lines appended to the block with "# managed by
// Certbot", and a port-80 block that redirects.
const certbotInstalledSite = `server {
	server_name %[2]s;

	location /.well-known/acme-challenge/ {
		root %[3]s;
	}

	location / {
		include proxy_params;
		proxy_pass http://unix:%[4]s;
	}

    listen %[5]d ssl; # managed by Certbot
    ssl_certificate %[6]s/live/%[2]s/fullchain.pem; # managed by Certbot
    ssl_certificate_key %[6]s/live/%[2]s/privkey.pem; # managed by Certbot
    include %[6]s/options-ssl-nginx.conf; # managed by Certbot
    ssl_dhparam %[6]s/ssl-dhparams.pem; # managed by Certbot

}
server {
    if ($host = %[2]s) {
        return 301 https://$host:%[5]d$request_uri;
    } # managed by Certbot


	listen %[1]d;
	server_name %[2]s;
    return 404; # managed by Certbot


}
`

// TestTakeOverFromCertbot: Debian's certbot issues a lineage against
// Pebble and the site is set up as its nginx installer does; httpsify
// apply adopts it (certbot's certificate stays served, certbot's renewal
// stays on, certbot's TLS lines are replaced); httpsify's first renewal
// switches certbot's renewal of the name off, so `certbot renew` no longer
// picks it; httpsify rollback of that renewal switches it back on.
func TestTakeOverFromCertbot(t *testing.T) {
	sb := newSandbox(t)
	cb := newCertbotRun(t, sb)
	writeSiteAndReload(t, sb, fmt.Sprintf(certbotWebrootSite, sb.HTTPPort, sb.Domain, cb.webroot, sb.AppSocket))
	if out, code := cb.run(t, "certonly", "--webroot", "-w", cb.webroot, "-d", sb.Domain, "--server", sb.CADirURL,
		"--agree-tos", "-m", "demo@example.test", "--no-eff-email"); code != 0 {
		t.Fatalf("certbot certonly exited %d:\n%s", code, out)
	}
	// What certbot's nginx installer adds to its config dir.
	options, err := os.ReadFile("../provision/testdata/corpus/support/letsencrypt/options-ssl-nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	dh, err := os.ReadFile(certbotDHParams)
	if err != nil {
		t.Fatalf("Debian's certbot (python3-certbot) is not installed (e2e/install-deps.sh installs it): %v", err)
	}
	os.WriteFile(filepath.Join(cb.config, "options-ssl-nginx.conf"), options, 0o644)
	os.WriteFile(filepath.Join(cb.config, "ssl-dhparams.pem"), dh, 0o644)
	writeSiteAndReload(t, sb, fmt.Sprintf(certbotInstalledSite, sb.HTTPPort, sb.Domain, cb.webroot, sb.AppSocket, sb.HTTPSPort, cb.config))
	certbotLeaf := cb.liveLeaf(t)
	waitServed(t, sb, certbotLeaf, "certbot's site")
	confBefore, err := os.ReadFile(cb.renewalConf())
	if err != nil {
		t.Fatal(err)
	}
	if out, code := cb.run(t, "certificates"); code != 0 || !strings.Contains(out, "Certificate Name: "+sb.Domain) {
		t.Fatalf("certbot certificates exited %d without the lineage:\n%s", code, out)
	}

	// A certbot directory others could write is not trusted: refused,
	// naming --certbot-dir, nothing changed.
	before := snapshot(t, sb)
	if err := os.Chmod(cb.config, 0o777); err != nil {
		t.Fatal(err)
	}
	out, code := run(t, append(append([]string{"apply"}, sb.ApplyArgs()...), "--certbot-dir", cb.config, "--schedule", "none")...)
	if code != 2 || !strings.Contains(out, "--certbot-dir") || !strings.Contains(out, "Nothing was changed") {
		t.Fatalf("apply with a world-writable certbot dir exited %d, want 2 naming --certbot-dir:\n%s", code, out)
	}
	requireSameFiles(t, before, snapshot(t, sb))
	if err := os.Chmod(cb.config, 0o755); err != nil {
		t.Fatal(err)
	}

	// apply adopts the lineage.
	apply := append(append([]string{"apply"}, sb.ApplyArgs()...), "--certbot-dir", cb.config, "--schedule", "none")
	out, code = run(t, apply...)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	if strings.Contains(out, "intermediate certificate is missing") {
		t.Errorf("apply warns about the chain of certbot's certificate, which --ca-root trusts:\n%s", out)
	}
	if !strings.Contains(out, "certbot keeps renewing it until httpsify has renewed it once") {
		t.Errorf("apply did not say certbot's renewal stays on until httpsify's first renewal:\n%s", out)
	}
	waitServed(t, sb, certbotLeaf, "after apply (the adopted certificate)")
	if got, err := os.ReadFile(cb.renewalConf()); err != nil || !bytes.Equal(got, confBefore) {
		t.Fatalf("apply changed certbot's renewal conf (%v)", err)
	}
	site, _ := os.ReadFile(sb.SiteFile)
	for _, gone := range []string{"options-ssl-nginx.conf", "ssl_dhparam", cb.config} {
		if strings.Contains(string(site), gone) {
			t.Errorf("the site still names %q:\n%s", gone, site)
		}
	}
	key := filepath.Join(sb.StateDir, "live", sb.Domain, "privkey.pem")
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("installed key %s: %v, mode %v", key, err, fi.Mode().Perm())
	}
	var req map[string]any
	raw, _ := os.ReadFile(filepath.Join(sb.StateDir, "archive", sb.Domain, "request.json"))
	if err := json.Unmarshal(raw, &req); err != nil || req["cert_source"] != "certbot" || req["certbot_lineage"] != sb.Domain || req["certbot_dir"] != cb.config {
		t.Fatalf("stored request %s (%v)", raw, err)
	}
	requireCertbotStatus(t, sb, "on")

	// Not before httpsify's certificate is served: a renewal whose nginx
	// -t fails leaves certbot's renewal on.
	liveDir := filepath.Join(sb.StateDir, "live", sb.Domain)
	orig, err := os.Readlink(liveDir)
	if err != nil {
		t.Fatal(err)
	}
	wrapper := filepath.Join(sb.Dir, "nginx-failing-test")
	script := fmt.Sprintf("#!/bin/sh\nfor a; do\n  if [ \"$a\" = -t ] && [ \"$(readlink %s)\" != %s ]; then echo 'nginx: [emerg] injected: the new certificate is refused' >&2; exit 1; fi\ndone\nexec %s \"$@\"\n", liveDir, orig, sb.NginxBin)
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	editStoredRequest(t, sb, func(m map[string]any) { m["host"].(map[string]any)["nginx_bin"] = wrapper })
	out, code = run(t, renewArgs(sb, "--force")...)
	if code != 1 {
		t.Fatalf("renew with a failing nginx -t exited %d, want 1:\n%s", code, out)
	}
	if got, err := os.ReadFile(cb.renewalConf()); err != nil || !bytes.Equal(got, confBefore) {
		t.Fatalf("a failed renewal switched certbot's renewal off: %v\n%s", err, out)
	}
	if _, err := os.Stat(cb.renewalConf() + ".disabled-by-httpsify"); err == nil {
		t.Fatalf("a failed renewal left certbot's disabled copy behind")
	}
	waitServed(t, sb, certbotLeaf, "after a failed renewal")
	requireCertbotStatus(t, sb, "on")
	editStoredRequest(t, sb, func(m map[string]any) { m["host"].(map[string]any)["nginx_bin"] = sb.NginxBin })

	// httpsify's first renewal switches certbot's off.
	out, code = run(t, renewArgs(sb, "--force")...)
	if code != 0 {
		t.Fatalf("renew --force exited %d:\n%s", code, out)
	}
	renewed := servedLeaf(t, sb)
	if bytes.Equal(renewed.Raw, certbotLeaf) {
		t.Fatalf("renew exited 0 but certbot's certificate is still served:\n%s", out)
	}
	if _, err := os.Stat(cb.renewalConf()); err == nil {
		t.Fatalf("certbot's renewal conf is still in place after httpsify's renewal:\n%s", out)
	}
	if got, err := os.ReadFile(cb.renewalConf() + ".disabled-by-httpsify"); err != nil || !bytes.Equal(got, confBefore) {
		t.Fatalf("certbot's renewal conf was not kept aside unchanged: %v", err)
	}
	if !strings.Contains(out, "certbot no longer renews "+sb.Domain) {
		t.Errorf("renew did not say certbot's renewal is off:\n%s", out)
	}
	requireCertbotStatus(t, sb, "off")
	out, code = cb.run(t, "renew", "--dry-run", "--no-random-sleep-on-renew")
	if code != 0 || strings.Contains(out, cb.renewalConf()) || !strings.Contains(out, "No simulated renewals were attempted") {
		t.Fatalf("certbot renew --dry-run exited %d and still picks %s:\n%s", code, sb.Domain, out)
	}

	// Rolling the renewal back restores certbot's renewal.
	out, code = run(t, append([]string{"rollback", "--domain", sb.Domain, "--yes"}, hostArgs(sb)...)...)
	if code != 0 {
		t.Fatalf("rollback exited %d:\n%s", code, out)
	}
	if got, err := os.ReadFile(cb.renewalConf()); err != nil || !bytes.Equal(got, confBefore) {
		t.Fatalf("rollback did not restore certbot's renewal conf: %v\n%s", err, out)
	}
	if !strings.Contains(out, "certbot renews "+sb.Domain+" again") {
		t.Errorf("rollback did not say certbot renews the name again:\n%s", out)
	}
	if _, err := os.Stat(cb.renewalConf() + ".disabled-by-httpsify"); err == nil {
		t.Errorf("the disabled copy is still there after rollback")
	}
	waitServed(t, sb, certbotLeaf, "after rollback")
	if out, code := cb.run(t, "certificates"); code != 0 || !strings.Contains(out, "Certificate Name: "+sb.Domain) {
		t.Fatalf("certbot does not list the lineage again after rollback (exit %d):\n%s", code, out)
	}
	requireCertbotStatus(t, sb, "on")
}

// requireCertbotStatus checks status's account of the adopted lineage.
func requireCertbotStatus(t *testing.T, sb *sandbox.Sandbox, renewal string) {
	t.Helper()
	out, _ := runStdout(t, "status", "--json", "--state-dir", sb.StateDir)
	var st struct {
		Sites []struct {
			Source         string `json:"source"`
			CertbotLineage string `json:"certbot_lineage"`
			CertbotRenewal string `json:"certbot_renewal"`
		} `json:"sites"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || len(st.Sites) != 1 {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	if s := st.Sites[0]; s.Source != "certbot" || s.CertbotLineage != sb.Domain || s.CertbotRenewal != renewal {
		t.Errorf("status: %+v, want certbot lineage %s with certbot's renewal %s", s, sb.Domain, renewal)
	}
	text, _ := run(t, "status", "--state-dir", sb.StateDir)
	if !strings.Contains(text, "certbot lineage "+sb.Domain+" (adopted)") {
		t.Errorf("status does not name the adopted lineage:\n%s", text)
	}
}
