package dnschallenge

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-acme/lego/v4/certificate"
)

func certificateRequest(domains []string) certificate.ObtainRequest {
	return certificate.ObtainRequest{Domains: domains, Bundle: true}
}

// assertNoSecretLeft checks the secret values of creds (the TSIG secret;
// server address and key name are not secrets) are nowhere but in the one
// 0600 file: not in the process environment (as Go sees it and as
// /proc/self/environ shows it), the lego log, the events, or any other
// file under the test's temporary directories. sandboxDir is skipped: it
// holds BIND's own copy of the key, which the server needs.
func assertNoSecretLeft(t *testing.T, creds Credentials, credFile, sandboxDir, legoLog string, events []Event) {
	t.Helper()
	secret, ok := creds.value("DNSUPDATE_TSIG_SECRET")
	if !ok || len(secret) < 16 {
		t.Fatal("test credentials hold no TSIG secret")
	}
	for _, kv := range os.Environ() {
		if strings.Contains(kv, secret) {
			t.Errorf("secret in the environment: variable %s", strings.SplitN(kv, "=", 2)[0])
		}
		if strings.HasPrefix(kv, "DNSUPDATE_") {
			t.Errorf("provider variable left in the environment: %s", strings.SplitN(kv, "=", 2)[0])
		}
	}
	if b, err := os.ReadFile("/proc/self/environ"); err != nil {
		t.Error(err)
	} else if strings.Contains(string(b), secret) {
		t.Error("secret in /proc/self/environ")
	}
	if strings.Contains(legoLog, secret) {
		t.Error("secret in lego's log")
	}
	if len(legoLog) == 0 {
		t.Error("lego's log was not captured: the check above proves nothing")
	}
	for _, e := range events {
		if strings.Contains(fmt.Sprintf("%+v", e), secret) {
			t.Errorf("secret in event %+v", e.Kind)
		}
	}
	st, err := os.Stat(credFile)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("%s mode %o, want 600", credFile, st.Mode().Perm())
	}
	b, _ := os.ReadFile(credFile)
	if !strings.Contains(string(b), secret) {
		t.Errorf("%s does not hold the secret: the file scan below proves nothing", credFile)
	}
	// Every TempDir of the test is under one directory.
	root := filepath.Dir(filepath.Dir(filepath.Dir(credFile)))
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p == sandboxDir {
			return fs.SkipDir
		}
		if err != nil || d.IsDir() || p == credFile {
			return nil
		}
		if b, err := os.ReadFile(p); err == nil && strings.Contains(string(b), secret) {
			t.Errorf("secret in %s", p)
		}
		return nil
	})
}
