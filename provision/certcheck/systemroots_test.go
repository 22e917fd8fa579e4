package certcheck

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The default trust is Go's system pool, so SSL_CERT_FILE points it at a
// private root. Go reads the pool once per process, so the check runs in a
// child process of this test binary with the variable set.
func TestSystemPoolHonoursSSLCertFile(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{})
	cert := p.write("a.pem", certPEM(leaf, p.inter), 0o644)
	keyFile := p.write("a.key", keyPEM(t, key), 0o600)
	rootFile := p.write("root.pem", certPEM(p.root), 0o644)
	otherRoot := newPKI(t)
	otherFile := p.write("other-root.pem", certPEM(otherRoot.root), 0o644)

	run := func(certFile string) string {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(),
			"CERTCHECK_CHILD=1", "CHILD_CERT="+cert, "CHILD_KEY="+keyFile,
			"SSL_CERT_FILE="+certFile, "SSL_CERT_DIR="+filepath.Join(p.dir, "no-such-dir"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		return string(out)
	}
	if out := run(rootFile); !strings.Contains(out, "RESULT ok") {
		t.Errorf("with SSL_CERT_FILE at the private root the pair is refused:\n%s", out)
	}
	if out := run(otherFile); !strings.Contains(out, "RESULT refused intermediate-missing") {
		t.Errorf("with another root the pair was not refused as expected:\n%s", out)
	}
}

// TestMain turns the test binary into the child of the test above when
// CERTCHECK_CHILD is set: Check with the default roots, result on stdout.
func TestMain(m *testing.M) {
	if os.Getenv("CERTCHECK_CHILD") != "1" {
		os.Exit(m.Run())
	}
	r := Check(Input{CertFile: os.Getenv("CHILD_CERT"), KeyFile: os.Getenv("CHILD_KEY"),
		Domains: []string{"example.com"}, Now: now})
	if r.OK() {
		fmt.Println("RESULT ok")
	}
	for _, f := range r.Errors() {
		fmt.Println("RESULT refused " + f.Kind.String())
	}
	os.Exit(0)
}
