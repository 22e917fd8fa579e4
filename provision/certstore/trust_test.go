package certstore

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCheckOwnLink(t *testing.T) {
	root := t.TempDir()
	archive := filepath.Join(root, "archive")
	version := filepath.Join(archive, "www.example.test", "20260101T000000Z-0001")
	elsewhere := filepath.Join(root, "elsewhere")
	os.MkdirAll(version, 0o700)
	os.MkdirAll(elsewhere, 0o700)

	ours := filepath.Join(root, "ours")
	os.Symlink(version, ours)
	if err := CheckOwnLink(ours, archive); err != nil {
		t.Errorf("httpsify's own link refused: %v", err)
	}
	if err := CheckOwnLink(filepath.Join(root, "missing"), archive); err != nil {
		t.Errorf("a missing link refused: %v", err)
	}
	outside := filepath.Join(root, "outside")
	os.Symlink(elsewhere, outside)
	if err := CheckOwnLink(outside, archive); err == nil {
		t.Error("a link outside the archive was accepted")
	}
	sneaky := filepath.Join(root, "sneaky")
	os.Symlink(archive+"/../elsewhere", sneaky)
	if err := CheckOwnLink(sneaky, archive); err == nil {
		t.Error("a link escaping the archive with .. was accepted")
	}
	if err := CheckOwnLink(archive, archive); err == nil {
		t.Error("a real directory was accepted")
	}
	if os.Geteuid() == 0 {
		theirs := filepath.Join(root, "theirs")
		os.Symlink(version, theirs)
		os.Lchown(theirs, 65534, 65534)
		if err := CheckOwnLink(theirs, archive); err == nil {
			t.Error("a link nobody owns was accepted, though it points into the archive")
		}
	}
}
