package e2e

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

// An EAB key pair as a CA dashboard hands it out (Pebble's test values).
const (
	eabKid  = "kid-httpsify"
	eabHMAC = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"
)

// No secret reaches the terminal, the events or an error message, nor
// any file other than its own: not the account key, not the certificate's
// private key, not the EAB HMAC, in any encoding. The key files are 0600
// in 0700 directories. The run is verbose (lego's own log included) and
// against a CA that requires external account binding.
func TestSecretsNeverLeak(t *testing.T) {
	sb := newSandboxWith(t, sandbox.Options{EAB: map[string]string{eabKid: eabHMAC}})
	args := append(sb.ApplyArgs(), "--verbose", "--eab-kid", eabKid, "--eab-hmac", eabHMAC)

	// A CA that needs EAB refuses an account without it: proof the
	// binding below is really exercised.
	out, code := run(t, append([]string{"apply"}, sb.ApplyArgs()...)...)
	if code == 0 || !strings.Contains(out, "externalAccountRequired") {
		t.Fatalf("Pebble did not require EAB (exit %d):\n%s", code, out)
	}

	var outputs []string
	// A wrong HMAC (the CA refuses the binding) and a malformed one: the
	// error messages must not echo what was typed.
	wrong := "AAAA" + eabHMAC[4:]
	for _, bad := range []string{wrong, "not*base64url!" + eabHMAC[:20]} {
		state := filepath.Join(t.TempDir(), "state")
		out, code := run(t, append([]string{"apply"}, with(with(args, "--eab-hmac", bad), "--state-dir", state)...)...)
		if code == 0 {
			t.Fatalf("apply with a bad HMAC succeeded:\n%s", out)
		}
		if strings.Contains(out, bad) || strings.Contains(out, bad[:20]) {
			t.Errorf("the error message repeats the HMAC typed:\n%s", out)
		}
		outputs = append(outputs, out)
	}
	out, code = run(t, append([]string{"apply"}, with(args, "--eab-kid", "")...)...)
	if code != 2 || strings.Contains(out, eabHMAC[:16]) {
		t.Errorf("--eab-hmac without --eab-kid: exit %d, output:\n%s", code, out)
	}
	outputs = append(outputs, out)

	// The HMAC from the environment, as the flag's help advises: it stays
	// out of the process list.
	out, code = runEnv(t, []string{"HTTPSIFY_EAB_HMAC=" + eabHMAC}, append([]string{"apply"}, with(args, "--eab-hmac", "")...)...)
	if code != 0 {
		t.Fatalf("apply with EAB from HTTPSIFY_EAB_HMAC exited %d:\n%s", code, out)
	}
	outputs = append(outputs, out)
	// A rerun reads the stored key and account.
	out, code = run(t, append([]string{"apply", "--force-renew"}, args...)...)
	if code != 0 {
		t.Fatalf("rerun exited %d:\n%s", code, out)
	}
	outputs = append(outputs, out)

	accountKeys, _ := filepath.Glob(filepath.Join(sb.StateDir, "accounts", "*", "*", "key.pem"))
	if len(accountKeys) != 1 {
		t.Fatalf("want one account key, found %v", accountKeys)
	}
	certKeys, _ := filepath.Glob(filepath.Join(sb.StateDir, "archive", sb.Domain, "*", "privkey.pem"))
	if len(certKeys) < 2 {
		t.Fatalf("want a private key per issued certificate, found %v", certKeys)
	}
	secrets := map[string][]string{"EAB HMAC": forms([]byte(eabHMAC))}
	if raw, err := base64.RawURLEncoding.DecodeString(eabHMAC); err == nil {
		secrets["EAB HMAC"] = append(secrets["EAB HMAC"], forms(raw)...)
	}
	for _, f := range append(accountKeys, certKeys...) {
		secrets[f] = keyForms(t, f)
	}
	keyFiles := map[string]bool{}
	for _, f := range append(accountKeys, certKeys...) {
		keyFiles[f] = true
	}

	for name, fs := range secrets {
		for _, s := range fs {
			for i, o := range outputs {
				if strings.Contains(o, s) {
					t.Errorf("output of run %d contains the %s (as %.12q…)", i, name, s)
				}
			}
		}
	}
	// Nor in any other file httpsify wrote: account.json, journals,
	// backups, the nginx config.
	for _, root := range []string{sb.StateDir, filepath.Dir(sb.NginxConf)} {
		filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err != nil || !info.Mode().IsRegular() || keyFiles[p] {
				return nil
			}
			b, _ := os.ReadFile(p)
			for name, fs := range secrets {
				for _, s := range fs {
					if strings.Contains(string(b), s) {
						t.Errorf("%s contains the %s", p, name)
					}
				}
			}
			return nil
		})
	}

	for _, f := range accountKeys {
		requireMode(t, f, 0o600)
		requireMode(t, filepath.Dir(f), 0o700|os.ModeDir)
		requireMode(t, filepath.Join(filepath.Dir(f), "account.json"), 0o600)
	}
	for _, f := range certKeys {
		requireMode(t, f, 0o600)
		requireMode(t, filepath.Dir(f), 0o700|os.ModeDir)
	}
	requireMode(t, filepath.Join(sb.StateDir, "archive", sb.Domain), 0o700|os.ModeDir)
	requireMode(t, filepath.Join(sb.StateDir, "lock"), 0o600)
	for _, d := range []string{"backups", "txn"} {
		requireMode(t, filepath.Join(sb.StateDir, d), 0o700|os.ModeDir)
	}
}

// keyForms is a private key file's secret in the encodings a log line
// might carry: the private scalar (hex, base64), the whole DER, and each
// line of the PEM body that holds part of the scalar. (The rest of the PEM
// is the public key and fixed headers, which the certificate carries too.)
func keyForms(t *testing.T, file string) []string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatalf("%s is not PEM", file)
	}
	var key any
	if k, err := x509.ParseECPrivateKey(blk.Bytes); err == nil {
		key = k
	} else if key, err = x509.ParsePKCS8PrivateKey(blk.Bytes); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var secret []byte
	switch k := key.(type) {
	case *ecdsa.PrivateKey:
		secret, _ = k.Bytes()
	case *rsa.PrivateKey:
		secret = k.D.Bytes()
	default:
		t.Fatalf("%s: unexpected key type %T", file, key)
	}
	out := append(forms(secret), forms(blk.Bytes)...)
	off := bytes.Index(blk.Bytes, secret)
	if off < 0 {
		t.Fatalf("%s: the scalar is not in the DER", file)
	}
	lines := strings.Split(strings.TrimSpace(string(pem.EncodeToMemory(&pem.Block{Type: blk.Type, Bytes: blk.Bytes}))), "\n")
	for i, line := range lines[1 : len(lines)-1] {
		if 48*i < off+len(secret) && 48*i+48 > off {
			out = append(out, line)
		}
	}
	return out
}

// forms: the bytes as text, hex and the base64 variants, dropping forms
// too short to mean anything.
func forms(b []byte) []string {
	var out []string
	for _, s := range []string{string(b), hex.EncodeToString(b), base64.StdEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)} {
		if len(s) >= 16 {
			out = append(out, s)
		}
	}
	return out
}

// newSandboxWith is newSandbox with options (ports from the same range).
func newSandboxWith(t *testing.T, o sandbox.Options) *sandbox.Sandbox {
	t.Helper()
	o.Dir, o.BasePort = t.TempDir(), basePort(t)
	sb, err := sandbox.Start(o)
	if err != nil {
		t.Fatalf("starting the sandbox: %v", err)
	}
	t.Cleanup(func() { sb.Stop() })
	return sb
}
