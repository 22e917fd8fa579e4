package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/nginx"
	"github.com/httpsify/httpsify/provision/txn"
)

// --dry-run shows what goes away, not only what is added: a deleted line
// is printed with "-", an added one with "+", each file under its name.
func TestDryRunShowsADiffOfEveryFile(t *testing.T) {
	s, err := provision.Options{Domains: []string{"www.example.test"}, StateDir: t.TempDir()}.Validate()
	if err != nil {
		t.Fatal(err)
	}
	p := &provision.Plan{
		Settings:  s,
		Detection: nginx.New(nginx.Nginx{Bin: "nginx", Conf: "/etc/nginx/nginx.conf"}, nginx.Version{}, nil).Detection,
		Files: []provision.FileChange{{
			Change:  txn.Change{Path: "/etc/nginx/sites-available/app", Content: []byte("server {\n    listen 443 ssl;\n    root /srv;\n}\n")},
			Shown:   "/etc/nginx/sites-enabled/app",
			Old:     []byte("server {\n    listen 80;\n    ssl on;\n    root /srv;\n}\n"),
			Existed: true,
			Why:     "the HTTPS site",
		}},
	}
	var b strings.Builder
	printDryRun(&b, p, false)
	out := b.String()
	for _, want := range []string{"--- /etc/nginx/sites-enabled/app", "+++ /etc/nginx/sites-enabled/app", "-    listen 80;", "-    ssl on;", "+    listen 443 ssl;", "     root /srv;", "@@ -1,5 +1,4 @@", "--full"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "| server {") {
		t.Errorf("full contents printed without --full:\n%s", out)
	}
	b.Reset()
	printDryRun(&b, p, true)
	if !strings.Contains(b.String(), "  | server {") || !strings.Contains(b.String(), "-    ssl on;") {
		t.Errorf("--full lacks the content or the diff:\n%s", b.String())
	}
}

// A dry run on a machine httpsify never ran on creates nothing, not even
// its state dir; where the state dir exists it plans under the lock.
func TestDryRunSessionCreatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	sess, err := openForDryRun(context.Background(), &provision.Host{StateDir: dir}, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	sess.Close()
	if _, err := os.Lstat(dir); !os.IsNotExist(err) {
		t.Fatalf("the dry run made %s (%v)", dir, err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	sess, err = openForDryRun(context.Background(), &provision.Host{StateDir: dir}, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if _, err := os.Lstat(filepath.Join(dir, "lock")); err != nil {
		t.Fatalf("no lock taken in an existing state dir: %v", err)
	}
}
