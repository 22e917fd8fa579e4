package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

// nobody plays the local unprivileged user who plants things.
const nobody = 65534

func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("these tests plant files as another user and need root")
	}
}

// mkdirOwned makes dir with mode and owner, whatever the umask.
func mkdirOwned(t *testing.T, dir string, mode os.FileMode, uid int) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(dir, uid, uid); err != nil {
		t.Fatal(err)
	}
}

// listDir names what is in dir, to show a refused run created nothing.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// A state dir another user owns, can write or has swapped for a link
// would let them plant journals that root replays: refused, exit 2, the
// message names the directory and its owner, and nothing is touched.
func TestApplyRefusesUntrustedStateDir(t *testing.T) {
	requireRoot(t)
	sb := newSandbox(t)
	base := t.TempDir()
	cases := map[string]struct {
		state, named string
		plant        func(state string)
	}{
		"owned by nobody": {state: filepath.Join(base, "a", "state"), named: "state", plant: func(s string) {
			mkdirOwned(t, s, 0o700, nobody)
		}},
		"parent owned by nobody": {state: filepath.Join(base, "b", "p", "state"), named: filepath.Join(base, "b", "p"), plant: func(s string) {
			mkdirOwned(t, filepath.Dir(s), 0o755, nobody)
		}},
		"writable by others": {state: filepath.Join(base, "c", "state"), named: "state", plant: func(s string) {
			mkdirOwned(t, s, 0o777, 0)
		}},
		"parent group-writable": {state: filepath.Join(base, "d", "p", "state"), named: filepath.Join(base, "d", "p"), plant: func(s string) {
			mkdirOwned(t, filepath.Dir(s), 0o775, 0)
		}},
		"a symlink": {state: filepath.Join(base, "e", "state"), named: "state", plant: func(s string) {
			victim := filepath.Join(base, "e", "victim")
			mkdirOwned(t, victim, 0o700, 0)
			os.Symlink(victim, s)
		}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			c.plant(c.state)
			named := c.named
			if named == "state" {
				named = c.state
			}
			parent := filepath.Dir(c.state)
			beforeFiles, beforeDir := snapshot(t, sb), listDir(t, parent)
			fi, _ := os.Lstat(parent)
			out, code := run(t, append([]string{"apply"}, with(sb.ApplyArgs(), "--state-dir", c.state)...)...)
			if code != 2 || !strings.Contains(out, "--state-dir") || !strings.Contains(out, named) || !strings.Contains(out, "owner") {
				t.Fatalf("exit %d, want 2 and a message naming %s and its owner:\n%s", code, named, out)
			}
			requireSameFiles(t, beforeFiles, snapshot(t, sb))
			if after := listDir(t, parent); strings.Join(after, "\n") != strings.Join(beforeDir, "\n") {
				t.Errorf("the refused run created files:\n%v\nwas\n%v", after, beforeDir)
			}
			if after, _ := os.Lstat(parent); after.Mode() != fi.Mode() {
				t.Errorf("mode of %s changed from %v to %v", parent, fi.Mode(), after.Mode())
			}
		})
	}
}

// Under umask 077 a run still issues: the challenge directory and files
// get their modes explicitly (nginx's workers run as nobody), a new state
// dir is created 0700, and an existing one is never chmodded.
func TestApplyUnderUmask077(t *testing.T) {
	requireRoot(t)
	sb := newSandbox(t)
	state := filepath.Join(sb.Dir, "fresh", "state")
	args := with(sb.ApplyArgs(), "--state-dir", state)
	runUmask := func(args ...string) (string, int) {
		cmd := exec.Command("/bin/sh", append([]string{"-c", `umask 077; exec "$0" "$@"`, binary, "apply"}, args...)...)
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return string(out), ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), 0
	}
	out, code := runUmask(args...)
	if code != 0 {
		t.Fatalf("apply under umask 077 exited %d:\n%s", code, out)
	}
	requireServesPebbleLeaf(t, sb)
	for dir, want := range map[string]os.FileMode{state: 0o700, sb.ChallengeDir: 0o755} {
		fi, err := os.Lstat(dir)
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", dir, fi.Mode().Perm(), err, want)
		}
	}
	// A second issuance with the state dir at 0750: left at 0750.
	if err := os.Chmod(state, 0o750); err != nil {
		t.Fatal(err)
	}
	if out, code := runUmask(append(args, "--force-renew")...); code != 0 {
		t.Fatalf("second apply exited %d:\n%s", code, out)
	}
	if fi, _ := os.Lstat(state); fi.Mode().Perm() != 0o750 {
		t.Errorf("the state dir was chmodded to %v", fi.Mode().Perm())
	}
}

// requireServesPebbleLeaf checks that the site serves a certificate that
// verifies against Pebble's root only.
func requireServesPebbleLeaf(t *testing.T, sb *sandbox.Sandbox) {
	t.Helper()
	if status, body := getHTTPS(t, sb, "/"); status != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Fatalf("https: %d %q", status, body)
	}
}

// selfSigned writes a version directory for name signed by nobody the
// system trusts, valid for ten years, as a planter would.
func selfSigned(t *testing.T, dir, name string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(10, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	os.MkdirAll(dir, 0o755)
	for file, data := range map[string][]byte{
		"cert.pem": cert, "fullchain.pem": cert, "chain.pem": nil,
		"privkey.pem": pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}),
	} {
		if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A link already at --cert-dir that httpsify did not make is refused
// (exit 2, nothing written): adopting it would have nginx serve the
// planter's certificate with the planter's key.
func TestApplyRefusesPlantedCertLink(t *testing.T) {
	requireRoot(t)
	sb := newSandbox(t)
	base := t.TempDir()
	planted := filepath.Join(base, "planted")
	selfSigned(t, planted, sb.Domain)
	cases := map[string]func(certDir string){
		"link owned by nobody": func(c string) {
			os.Symlink(planted, c)
			os.Lchown(c, nobody, nobody)
		},
		"root's link outside the archive": func(c string) { os.Symlink(planted, c) },
		"parent writable by others": func(c string) {
			mkdirOwned(t, filepath.Dir(c), 0o777, 0)
		},
	}
	for name, plant := range cases {
		t.Run(name, func(t *testing.T) {
			certDir := filepath.Join(base, strings.ReplaceAll(name, " ", "-"), "live")
			mkdirOwned(t, filepath.Dir(certDir), 0o755, 0)
			plant(certDir)
			before := snapshot(t, sb)
			out, code := run(t, append([]string{"apply"}, with(sb.ApplyArgs(), "--cert-dir", certDir)...)...)
			if code != 2 || !strings.Contains(out, "--cert-dir") || strings.Contains(out, "no new one needed") {
				t.Fatalf("exit %d, want 2 naming --cert-dir:\n%s", code, out)
			}
			requireSameFiles(t, before, snapshot(t, sb))
			if status, _, _ := getHTTP(t, sb, "/"); status != 200 {
				t.Errorf("the plain site changed: %d", status)
			}
		})
	}
}

// A certificate in httpsify's own archive that does not chain to a
// trusted root is not "the installed certificate, still good": apply
// gets a new one from the CA and the site serves Pebble's leaf.
func TestApplyReplacesInstalledCertificateThatDoesNotVerify(t *testing.T) {
	requireRoot(t)
	sb := newSandbox(t)
	version := filepath.Join(sb.StateDir, "archive", sb.Domain, "20200101T000000Z-0001")
	selfSigned(t, version, sb.Domain)
	live := filepath.Join(sb.StateDir, "live", sb.Domain)
	os.MkdirAll(filepath.Dir(live), 0o755)
	if err := os.Symlink(version, live); err != nil {
		t.Fatal(err)
	}
	out, code := run(t, append([]string{"apply"}, sb.ApplyArgs()...)...)
	if code != 0 || strings.Contains(out, "no new one needed") || !strings.Contains(out, "does not chain to a trusted root") {
		t.Fatalf("exit %d; want a new certificate and the reason:\n%s", code, out)
	}
	requireServesPebbleLeaf(t, sb)
}

// Every command httpsify runs gets an allowlisted environment: a fake
// nginx (a script in front of the real one) records its environment on
// every call; the EAB HMAC and a DNS-provider-like secret never arrive.
func TestApplyChildrenGetNoSecrets(t *testing.T) {
	sb := newSandboxWith(t, sandbox.Options{EAB: map[string]string{eabKid: eabHMAC}})
	dumps := t.TempDir()
	fake := filepath.Join(t.TempDir(), "nginx")
	script := "#!/bin/sh\nenv > " + dumps + "/env.$$\nexec " + sb.NginxBin + " \"$@\"\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	args := append(with(sb.ApplyArgs(), "--nginx-bin", fake), "--eab-kid", eabKid)
	out, code := runEnv(t, []string{"HTTPSIFY_EAB_HMAC=" + eabHMAC, "EXAMPLE_DNS_API_TOKEN=dns-secret-token"}, append([]string{"apply"}, args...)...)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	files, _ := filepath.Glob(filepath.Join(dumps, "env.*"))
	if len(files) < 2 { // at least nginx -t and the reload
		t.Fatalf("the fake nginx ran %d times", len(files))
	}
	for _, f := range files {
		env, _ := os.ReadFile(f)
		for _, secret := range []string{eabHMAC, "HTTPSIFY_EAB_HMAC", "dns-secret-token"} {
			if strings.Contains(string(env), secret) {
				t.Errorf("%s: a child of httpsify got %q:\n%s", f, secret, env)
			}
		}
		if !strings.Contains(string(env), "PATH=") {
			t.Errorf("%s: no PATH:\n%s", f, env)
		}
	}
}

// make demo runs as root and reads files from its directory: a directory
// another user made first (or can write, or swapped for a link) is
// refused before anything is written to it or read from it.
func TestDemoRefusesDirectoryOthersControl(t *testing.T) {
	requireRoot(t)
	base := t.TempDir()
	marker := filepath.Join(base, "sourced")
	cases := map[string]func(dir string){
		"owned by nobody":    func(d string) { mkdirOwned(t, d, 0o755, nobody) },
		"writable by others": func(d string) { mkdirOwned(t, d, 0o777|os.ModeSticky, 0) },
		"a symlink": func(d string) {
			real := filepath.Join(base, "real")
			mkdirOwned(t, real, 0o755, nobody)
			os.Symlink(real, d)
		},
	}
	for name, plant := range cases {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(base, strings.ReplaceAll(name, " ", "-"))
			plant(dir)
			// What a planter leaves for root to source.
			env := "touch " + marker + "\n"
			os.WriteFile(filepath.Join(dir, "sandbox.env"), []byte(env), 0o644)
			before := listDir(t, dir+"/")
			cmd := exec.Command("bash", "e2e/demo.sh")
			cmd.Dir = ".."
			cmd.Env = append(os.Environ(), "HTTPSIFY_DEMO_DIR="+dir, "HTTPSIFY_DEPS_DONE=1", "HTTPSIFY_DEMO_HEADLESS=1")
			out, err := cmd.CombinedOutput()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "refusing "+dir) {
				t.Fatalf("demo was not refused (%v):\n%s", err, out)
			}
			if _, err := os.Stat(marker); err == nil {
				t.Fatal("the demo sourced the planted sandbox.env")
			}
			if after := listDir(t, dir+"/"); strings.Join(after, "\n") != strings.Join(before, "\n") {
				t.Errorf("the demo wrote into %s:\n%v", dir, after)
			}
		})
	}
}

// A journal planted in <state>/txn (as an "interrupted run") names files
// root would overwrite and chmod: apply refuses it, acts on nothing in it,
// and says which file to look at.
func TestApplyRefusesPlantedJournal(t *testing.T) {
	requireRoot(t)
	sb := newSandbox(t)
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("precious\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	evil := filepath.Join(t.TempDir(), "evil")
	os.WriteFile(evil, []byte("#!/bin/sh\nid\n"), 0o755)
	id := "20260101-000000.000000000-deadbeef"
	txnDir := filepath.Join(sb.StateDir, "txn")
	os.MkdirAll(txnDir, 0o700)
	journal := `{"id":"` + id + `","state":"applied","backup_dir":"` + filepath.Dir(evil) + `",
	  "entries":[{"path":"` + victim + `","op":"write","existed":true,"old_mode":2541,"old_uid":0,"old_gid":0,
	  "backup_path":"` + evil + `","restore_temp":"` + victim + `.tmp"}]}`
	jpath := filepath.Join(txnDir, id+".json")
	if err := os.WriteFile(jpath, []byte(journal), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chown(jpath, nobody, nobody)
	before := snapshot(t, sb)
	out, code := run(t, append([]string{"apply"}, sb.ApplyArgs()...)...)
	if code == 0 || !strings.Contains(out, "refusing journal "+jpath) {
		t.Fatalf("exit %d; want the planted journal refused:\n%s", code, out)
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious\n" {
		t.Fatalf("the victim was overwritten: %q", b)
	}
	if fi, _ := os.Stat(victim); fi.Mode() != 0o600 {
		t.Fatalf("the victim's mode changed to %v", fi.Mode())
	}
	requireSameFiles(t, before, snapshot(t, sb))
}
