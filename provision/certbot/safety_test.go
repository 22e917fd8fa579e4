package certbot

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Root runs httpsify: a renewal or certbot directory another user can
// write is refused before anything is read.
func TestWritableDirsRefused(t *testing.T) {
	for _, c := range []struct {
		rel  string
		mode os.FileMode
	}{
		{"renewal", 0o777},
		{"renewal", 0o775},
		{"renewal", 0o757},
		{"", 0o777},
	} {
		tr := newTree(t)
		tr.lineage("example.com", []string{"example.com"}, 1, nginxConf)
		if err := os.Chmod(filepath.Join(tr.dir, c.rel), c.mode); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(tr.dir); !errors.Is(err, ErrUnsafeDir) {
			t.Errorf("%q mode %04o: %v, want ErrUnsafeDir", c.rel, c.mode, err)
		}
	}
}

// renewal as a symlink (to a directory someone else controls) is refused.
func TestRenewalSymlinkRefused(t *testing.T) {
	tr := newTree(t)
	elsewhere := t.TempDir()
	if err := os.Remove(filepath.Join(tr.dir, "renewal")); err != nil {
		t.Fatal(err)
	}
	tr.link("renewal", elsewhere)
	if _, err := Open(tr.dir); !errors.Is(err, ErrUnsafeDir) {
		t.Errorf("got %v, want ErrUnsafeDir", err)
	}
}

// A certbot dir reached through a symlink (/etc/letsencrypt -> /srv/le) is
// fine, and nginx's paths through the link still map.
func TestCertbotDirThroughSymlink(t *testing.T) {
	tr := newTree(t)
	tr.lineage("example.com", []string{"example.com"}, 1, nginxConf)
	alias := filepath.Join(t.TempDir(), "letsencrypt")
	if err := os.Symlink(tr.dir, alias); err != nil {
		t.Fatal(err)
	}
	d, err := Open(alias)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if l, err := d.LineageForPath(alias + "/live/example.com/fullchain.pem"); err != nil || l.Name != "example.com" {
		t.Errorf("via alias: %q %v", l.Name, err)
	}
	if l, err := d.LineageForPath(tr.dir + "/live/example.com/fullchain.pem"); err != nil || l.Name != "example.com" {
		t.Errorf("via real path: %q %v", l.Name, err)
	}
}

// live links are followed only inside the certbot directory, whether the
// link is relative (certbot's) or absolute (older setups).
func TestLinksOutOfTheDirNotFollowed(t *testing.T) {
	tr := newTree(t)
	tr.lineage("example.com", []string{"example.com"}, 1, nginxConf)
	tr.lineage("rel-escape", []string{"rel.example"}, 1, nginxConf)
	tr.lineage("abs-escape", []string{"abs.example"}, 1, nginxConf)
	tr.lineage("abs-inside", []string{"inside.example"}, 1, nginxConf)

	outside := t.TempDir()
	cert, _, _ := makeCert(t, []string{"planted.example"}, tr0())
	if err := os.WriteFile(filepath.Join(outside, "cert.pem"), []byte(cert), 0o644); err != nil {
		t.Fatal(err)
	}
	relTarget, err := filepath.Rel(filepath.Join(tr.dir, "live/rel-escape"), filepath.Join(outside, "cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	relink := func(name, target string) {
		p := filepath.Join(tr.dir, "live", name, "cert.pem")
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
		tr.link(filepath.Join("live", name, "cert.pem"), target)
	}
	relink("rel-escape", relTarget)
	relink("abs-escape", filepath.Join(outside, "cert.pem"))
	relink("abs-inside", filepath.Join(tr.dir, "archive/abs-inside/cert1.pem"))

	ls, err := tr.open().Lineages()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Lineage{}
	for _, l := range ls {
		got[l.Name] = l
	}
	for _, n := range []string{"rel-escape", "abs-escape"} {
		if l := got[n]; !errors.Is(l.Err, ErrOutsideDir) || len(l.Names) != 0 {
			t.Errorf("%s: err %v names %v: a link out of the dir was followed", n, l.Err, l.Names)
		}
	}
	if l := got["abs-inside"]; l.Err != nil || len(l.Names) != 1 || l.Names[0] != "inside.example" {
		t.Errorf("abs-inside: %+v", l)
	}
	if l := got["example.com"]; l.Err != nil {
		t.Errorf("example.com: %v", l.Err)
	}
}

// A renewal directory owned by another user is refused even at mode 0755:
// that user could plant a conf. Making one needs chown, so root.
func TestRenewalOwnedByAnotherUserRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("needs root to chown the test directory to another user (CI runs as root)")
	}
	tr := newTree(t)
	if err := os.Chown(filepath.Join(tr.dir, "renewal"), 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(tr.dir); !errors.Is(err, ErrUnsafeDir) {
		t.Errorf("got %v, want ErrUnsafeDir", err)
	}
}
