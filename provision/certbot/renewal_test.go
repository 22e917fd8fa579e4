package certbot

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// certbotPicks lists the renewal files certbot renew would read: Python's
// glob.glob(os.path.join(renewal_configs_dir, "*.conf")), which
// filepath.Glob matches for these names.
func certbotPicks(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "renewal", "*.conf"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range m {
		names = append(names, filepath.Base(p))
	}
	return names
}

func TestDisableAndEnableRenewal(t *testing.T) {
	tr := newTree(t)
	tr.lineage("example.com", []string{"example.com"}, 1, nginxConf)
	tr.lineage("example.org", []string{"example.org"}, 1, webrootConf)
	conf := filepath.Join(tr.dir, "renewal", "example.com.conf")
	before, _ := os.ReadFile(conf)
	liveBefore, _ := os.ReadFile(filepath.Join(tr.dir, "live/example.com/fullchain.pem"))
	d := tr.open()

	if err := d.DisableRenewal("example.com"); err != nil {
		t.Fatal(err)
	}
	if got := certbotPicks(t, tr.dir); len(got) != 1 || got[0] != "example.org.conf" {
		t.Errorf("certbot would still read %v", got)
	}
	kept, err := os.ReadFile(conf + DisabledSuffix)
	if err != nil || !bytes.Equal(kept, before) {
		t.Errorf("disabled copy missing or changed: %v", err)
	}
	if live, _ := os.ReadFile(filepath.Join(tr.dir, "live/example.com/fullchain.pem")); !bytes.Equal(live, liveBefore) {
		t.Errorf("live certificate changed")
	}
	l, err := d.Lineage("example.com")
	if err != nil || l.RenewalEnabled || l.RenewalFile != conf+DisabledSuffix || l.Err != nil || len(l.Names) != 1 {
		t.Errorf("disabled lineage listed as %+v, %v", l, err)
	}
	if err := d.DisableRenewal("example.com"); err != nil {
		t.Errorf("second disable: %v", err)
	}

	if err := d.EnableRenewal("example.com"); err != nil {
		t.Fatal(err)
	}
	if got := certbotPicks(t, tr.dir); len(got) != 2 {
		t.Errorf("after enable certbot reads %v", got)
	}
	if after, _ := os.ReadFile(conf); !bytes.Equal(after, before) {
		t.Errorf("renewal conf changed by the round trip")
	}
	if _, err := os.Lstat(conf + DisabledSuffix); !os.IsNotExist(err) {
		t.Errorf("disabled copy left behind: %v", err)
	}
	if err := d.EnableRenewal("example.com"); err != nil {
		t.Errorf("second enable: %v", err)
	}
}

// certbot made a new NAME.conf while the old one was disabled: neither
// direction guesses which to keep.
func TestRenewalConflict(t *testing.T) {
	tr := newTree(t)
	tr.lineage("example.com", []string{"example.com"}, 1, nginxConf)
	d := tr.open()
	if err := d.DisableRenewal("example.com"); err != nil {
		t.Fatal(err)
	}
	tr.file("renewal/example.com.conf", "version = 2.1.0\n", 0o644)
	if err := d.EnableRenewal("example.com"); !errors.Is(err, ErrConflict) {
		t.Errorf("enable: %v, want ErrConflict", err)
	}
	if err := d.DisableRenewal("example.com"); !errors.Is(err, ErrConflict) {
		t.Errorf("disable: %v, want ErrConflict", err)
	}
	if got, _ := os.ReadFile(filepath.Join(tr.dir, "renewal/example.com.conf")); string(got) != "version = 2.1.0\n" {
		t.Errorf("new conf overwritten")
	}
}

func TestRenewalBadNames(t *testing.T) {
	tr := newTree(t)
	tr.lineage("example.com", []string{"example.com"}, 1, nginxConf)
	d := tr.open()
	for _, n := range []string{"", ".", "..", "../renewal/example.com", "a/b", ".hidden", "x\x00y", "x\ny"} {
		if err := d.DisableRenewal(n); !errors.Is(err, ErrBadName) {
			t.Errorf("%q: %v, want ErrBadName", n, err)
		}
	}
	if err := d.DisableRenewal("nope.example"); !errors.Is(err, ErrNoLineage) {
		t.Errorf("unknown lineage: %v", err)
	}
}

// A symlink standing in for a renewal conf is neither listed nor renamed.
func TestSymlinkedConfRefused(t *testing.T) {
	tr := newTree(t)
	tr.lineage("example.com", []string{"example.com"}, 1, nginxConf)
	outside := filepath.Join(t.TempDir(), "planted.conf")
	if err := os.WriteFile(outside, []byte(nginxConf), 0o644); err != nil {
		t.Fatal(err)
	}
	tr.link("renewal/planted.conf", outside)
	d := tr.open()
	ls, err := d.Lineages()
	if err != nil || len(ls) != 1 || ls[0].Name != "example.com" {
		t.Errorf("listed %+v, %v", ls, err)
	}
	if err := d.DisableRenewal("planted"); !errors.Is(err, ErrUnsafeDir) {
		t.Errorf("disable of a symlinked conf: %v", err)
	}
	if _, err := os.Lstat(outside); err != nil {
		t.Errorf("link target touched: %v", err)
	}
}
