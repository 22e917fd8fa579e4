package provision

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/internal/testcert"
)

// A staged certificate that was never installed is offered again only
// for the same names, key type and CA, and not once it is live.
func TestReusableStaged(t *testing.T) {
	state := t.TempDir()
	s := &Settings{Host: Host{StateDir: state}, Request: Request{Domains: []string{"www.example.test"}, KeyType: "ec256", CADirectory: "https://ca.test/dir", CertDir: filepath.Join(state, "live", "www.example.test")}}
	p := &Plan{Settings: s, ArchiveDir: filepath.Join(state, "archive", "www.example.test")}
	if reusableStaged(p, time.Now()) != nil {
		t.Fatal("reused a certificate that was never staged")
	}
	v, err := certstore.Stage(p.ArchiveDir, testcert.Bundle(t, "www.example.test"))
	if err != nil {
		t.Fatal(err)
	}
	if err := rememberStaged(s, v); err != nil {
		t.Fatal(err)
	}
	iss := reusableStaged(p, time.Now())
	if iss == nil || iss.VersionDir != v || !iss.Reused || !iss.New {
		t.Fatalf("the staged certificate was not offered: %+v", iss)
	}

	for name, change := range map[string]func(*Settings){
		"other names":    func(s *Settings) { s.Domains = []string{"www.example.test", "example.test"} },
		"other key type": func(s *Settings) { s.KeyType = "rsa2048" },
		"other CA":       func(s *Settings) { s.CADirectory = "https://staging.ca.test/dir" },
		"forced renewal": func(s *Settings) { s.ForceRenew = true },
	} {
		other := *s
		change(&other)
		if reusableStaged(&Plan{Settings: &other, ArchiveDir: p.ArchiveDir}, time.Now()) != nil {
			t.Errorf("%s: reused", name)
		}
	}
	if reusableStaged(p, time.Now().Add(80*24*time.Hour)) != nil {
		t.Error("reused a certificate due for renewal")
	}

	// Once live it is the installed certificate, not an unused one.
	if err := os.MkdirAll(filepath.Dir(s.CertDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(v, s.CertDir); err != nil {
		t.Fatal(err)
	}
	if reusableStaged(p, time.Now()) != nil {
		t.Error("offered the live certificate as unused")
	}
}
