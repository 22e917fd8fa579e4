package certbot

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestDisableSwitchDescribesTheRename(t *testing.T) {
	tr := newTree(t)
	tr.lineage("example.com", []string{"example.com"}, 2, nginxConf)
	d := tr.open()
	conf := filepath.Join(tr.dir, "renewal", "example.com.conf")
	want, _ := os.ReadFile(conf)

	sw, ok, err := d.DisableSwitch("example.com")
	if err != nil || !ok {
		t.Fatalf("DisableSwitch = %v, %v", ok, err)
	}
	if sw.Enabled != conf || sw.Disabled != conf+DisabledSuffix || !bytes.Equal(sw.Content, want) || sw.Mode != 0o644 && sw.Mode != 0o600 {
		t.Errorf("switch = %+v", sw)
	}
	if on, err := d.RenewalEnabled("example.com"); !on || err != nil {
		t.Errorf("RenewalEnabled before = %v, %v", on, err)
	}
	// DisableSwitch only describes: nothing moved.
	if got := certbotPicks(t, tr.dir); len(got) != 1 {
		t.Errorf("certbot picks %v after DisableSwitch", got)
	}
	if err := d.DisableRenewal("example.com"); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := d.DisableSwitch("example.com"); ok || err != nil {
		t.Errorf("already disabled: ok=%v err=%v", ok, err)
	}
	if on, err := d.RenewalEnabled("example.com"); on || err != nil {
		t.Errorf("RenewalEnabled after = %v, %v", on, err)
	}
	if err := os.WriteFile(conf, want, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.DisableSwitch("example.com"); !errors.Is(err, ErrConflict) {
		t.Errorf("both files: %v, want ErrConflict", err)
	}
	if _, _, err := d.DisableSwitch("other.org"); !errors.Is(err, ErrNoLineage) {
		t.Errorf("unknown lineage: %v", err)
	}
}

func TestCurrentFilesFollowLiveLinks(t *testing.T) {
	tr := newTree(t)
	tr.lineage("example.com", []string{"example.com"}, 3, nginxConf)
	d := tr.open()
	l, err := d.Lineage("example.com")
	if err != nil || l.Err != nil {
		t.Fatal(err, l.Err)
	}
	fc, key, err := d.CurrentFiles(l)
	if err != nil {
		t.Fatal(err)
	}
	real, _ := filepath.EvalSymlinks(tr.dir)
	if fc != filepath.Join(real, "archive/example.com/fullchain3.pem") || key != filepath.Join(real, "archive/example.com/privkey3.pem") {
		t.Errorf("CurrentFiles = %s, %s", fc, key)
	}
}

// A lineage directory others can write is refused: a file planted there
// would be read as the certificate.
func TestCurrentFilesRefusesAWritableArchive(t *testing.T) {
	tr := newTree(t)
	tr.lineage("example.com", []string{"example.com"}, 1, nginxConf)
	d := tr.open()
	l, err := d.Lineage("example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(tr.dir, "archive", "example.com"), 0o777); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.CurrentFiles(l); !errors.Is(err, ErrUnsafeDir) {
		t.Fatalf("CurrentFiles with a world-writable archive dir: %v", err)
	}
}
