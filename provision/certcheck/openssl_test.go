package certcheck

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// openssl runs the openssl command in dir, as a user (or a provider's
// tooling) would. The tool is required: the test fails without it.
func openssl(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("openssl", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func writeText(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// opensslChain makes root, intermediate and an RSA leaf for example.com
// with openssl, then concatenates leaf + intermediate into site.pem the
// way providers ship it. It returns the directory and a pool with the root.
func opensslChain(t *testing.T) (string, *x509.CertPool) {
	t.Helper()
	d := t.TempDir()
	writeText(t, filepath.Join(d, "ca.ext"), "basicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nauthorityInfoAccess=caIssuers;URI:http://root.test.invalid/root.crt\n")
	writeText(t, filepath.Join(d, "leaf.ext"), "basicConstraints=CA:false\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:example.com,DNS:www.example.com\nauthorityInfoAccess=caIssuers;URI:http://inter.test.invalid/inter.crt\n")
	openssl(t, d, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
		"-keyout", "root.key", "-out", "root.crt", "-days", "3650", "-subj", "/O=Test Trust/CN=Test Root R1",
		"-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
	openssl(t, d, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
		"-keyout", "inter.key", "-out", "inter.csr", "-subj", "/O=Test Trust/CN=Test Encryption Everywhere DV TLS CA")
	openssl(t, d, "x509", "-req", "-in", "inter.csr", "-CA", "root.crt", "-CAkey", "root.key", "-CAcreateserial",
		"-days", "1825", "-extfile", "ca.ext", "-out", "inter.crt")
	openssl(t, d, "req", "-newkey", "rsa:2048", "-noenc", "-keyout", "example.com.key", "-out", "leaf.csr", "-subj", "/CN=example.com")
	openssl(t, d, "x509", "-req", "-in", "leaf.csr", "-CA", "inter.crt", "-CAkey", "inter.key", "-CAcreateserial",
		"-days", "90", "-extfile", "leaf.ext", "-out", "leaf.crt")
	leaf, _ := os.ReadFile(filepath.Join(d, "leaf.crt"))
	inter, _ := os.ReadFile(filepath.Join(d, "inter.crt"))
	writeText(t, filepath.Join(d, "example.com.pem"), string(leaf)+string(inter))
	if err := os.Chmod(filepath.Join(d, "example.com.key"), 0o600); err != nil {
		t.Fatal(err)
	}
	root, _ := os.ReadFile(filepath.Join(d, "root.crt"))
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(root) {
		t.Fatal("root.crt does not parse")
	}
	return d, pool
}

func opensslInput(d string, roots *x509.CertPool, key string) Input {
	return Input{
		CertFile: filepath.Join(d, "example.com.pem"), KeyFile: filepath.Join(d, key),
		Domains: []string{"example.com", "www.example.com"}, Now: time.Now(), Roots: roots,
	}
}

// The openssl-made provider chain installs, whatever encoding the key was
// converted to: PKCS#8 (openssl 3's default), PKCS#1 (-traditional, what
// older tools and many providers ship) and PKCS#8 again via pkcs8 -topk8.
func TestOpenSSLProviderChain(t *testing.T) {
	d, roots := opensslChain(t)
	openssl(t, d, "rsa", "-in", "example.com.key", "-traditional", "-out", "pkcs1.key")
	openssl(t, d, "pkcs8", "-topk8", "-nocrypt", "-in", "pkcs1.key", "-out", "pkcs8.key")
	for _, k := range []struct{ file, label string }{
		{"example.com.key", "PRIVATE KEY"},
		{"pkcs1.key", "RSA PRIVATE KEY"},
		{"pkcs8.key", "PRIVATE KEY"},
	} {
		if err := os.Chmod(filepath.Join(d, k.file), 0o600); err != nil {
			t.Fatal(err)
		}
		r := Check(opensslInput(d, roots, k.file))
		b := mustOK(t, r)
		if len(r.Findings) != 0 {
			t.Errorf("%s: findings %v", k.file, r.Findings)
		}
		if blk, _ := pem.Decode(b.Key); blk == nil || blk.Type != k.label {
			t.Errorf("%s: key not kept as %s", k.file, k.label)
		}
		if len(b.Intermediates) != 1 || b.Intermediates[0].Subject.CommonName != "Test Encryption Everywhere DV TLS CA" {
			t.Errorf("%s: intermediates %v", k.file, b.Intermediates)
		}
	}

	// Only the leaf uploaded: refused, naming openssl's AIA URL.
	leaf, _ := os.ReadFile(filepath.Join(d, "leaf.crt"))
	writeText(t, filepath.Join(d, "example.com.pem"), string(leaf))
	f := mustRefuse(t, Check(opensslInput(d, roots, "pkcs8.key")), KindIntermediateMissing)
	if !strings.Contains(f.Hint, "http://inter.test.invalid/inter.crt") {
		t.Errorf("hint lacks the AIA URL: %q", f.Hint)
	}
}

// Both encrypted forms openssl writes are refused with the command that
// removes the passphrase, and the passphrase-free copy then installs.
func TestEncryptedKeyRefused(t *testing.T) {
	d, roots := opensslChain(t)
	openssl(t, d, "pkey", "-in", "example.com.key", "-aes256", "-passout", "pass:secret", "-out", "pkcs8-enc.key")
	openssl(t, d, "rsa", "-in", "example.com.key", "-aes128", "-traditional", "-passout", "pass:secret", "-out", "legacy-enc.key")
	legacy, _ := os.ReadFile(filepath.Join(d, "legacy-enc.key"))
	if !strings.Contains(string(legacy), "Proc-Type: 4,ENCRYPTED") {
		t.Fatalf("openssl did not write a legacy encrypted key:\n%s", legacy)
	}
	for _, k := range []string{"pkcs8-enc.key", "legacy-enc.key"} {
		f := mustRefuse(t, Check(opensslInput(d, roots, k)), KindEncryptedKey)
		if f.Field != FieldKey || !strings.Contains(f.Message, "passphrase") ||
			!strings.Contains(f.Hint, "openssl pkey -in "+filepath.Join(d, k)+" -out "+filepath.Join(d, k)+".nopass") {
			t.Errorf("%s: %v", k, f)
		}
		if strings.Contains(f.String(), "secret") {
			t.Errorf("finding leaks the passphrase")
		}
	}
	openssl(t, d, "pkey", "-in", "pkcs8-enc.key", "-passin", "pass:secret", "-out", "pkcs8-enc.key.nopass")
	if err := os.Chmod(filepath.Join(d, "pkcs8-enc.key.nopass"), 0o600); err != nil {
		t.Fatal(err)
	}
	mustOK(t, Check(opensslInput(d, roots, "pkcs8-enc.key.nopass")))
}

// openssl ecparam -genkey writes an "EC PARAMETERS" block before a SEC1
// key; a self-signed certificate for it is trusted only as an extra root.
func TestOpenSSLECParamKey(t *testing.T) {
	d := t.TempDir()
	openssl(t, d, "ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.key")
	openssl(t, d, "req", "-x509", "-key", "ec.key", "-out", "example.com.pem", "-days", "30",
		"-subj", "/CN=example.com", "-addext", "subjectAltName=DNS:example.com,DNS:www.example.com")
	ec, _ := os.ReadFile(filepath.Join(d, "ec.key"))
	if !strings.Contains(string(ec), "EC PARAMETERS") || !strings.Contains(string(ec), "EC PRIVATE KEY") {
		t.Fatalf("unexpected ecparam output:\n%s", ec)
	}
	if err := os.Chmod(filepath.Join(d, "ec.key"), 0o600); err != nil {
		t.Fatal(err)
	}
	in := opensslInput(d, x509.NewCertPool(), "ec.key")
	mustRefuse(t, Check(in), KindUntrustedRoot)
	pemData, _ := os.ReadFile(filepath.Join(d, "example.com.pem"))
	in.ExtraRoots = x509.NewCertPool()
	in.ExtraRoots.AppendCertsFromPEM(pemData)
	b := mustOK(t, Check(in))
	if blk, _ := pem.Decode(b.Key); blk.Type != "EC PRIVATE KEY" {
		t.Errorf("key block %s", blk.Type)
	}
}

// Some CAs ship the chain as a .p7b: named, with the conversion; the
// converted file then works as the chain file.
func TestPKCS7ChainExplained(t *testing.T) {
	d, roots := opensslChain(t)
	openssl(t, d, "crl2pkcs7", "-nocrl", "-certfile", "inter.crt", "-out", "chain.p7b")
	in := opensslInput(d, roots, "example.com.key")
	in.CertFile = filepath.Join(d, "leaf.crt")
	in.ChainFile = filepath.Join(d, "chain.p7b")
	f := mustRefuse(t, Check(in), KindNoCertificate)
	if f.Field != FieldChain || !strings.Contains(f.Hint, "openssl pkcs7 -print_certs -in "+in.ChainFile) {
		t.Fatalf("got %v", f)
	}
	openssl(t, d, "pkcs7", "-print_certs", "-in", "chain.p7b", "-out", "chain.p7b.pem")
	in.ChainFile = filepath.Join(d, "chain.p7b.pem")
	mustOK(t, Check(in))
}
