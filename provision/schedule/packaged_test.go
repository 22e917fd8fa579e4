package schedule

import (
	"os"
	"path/filepath"
	"testing"
)

// shipUnits puts the units a package ships for bin into dir under root.
func shipUnits(t *testing.T, root, dir, bin string) {
	t.Helper()
	units, err := Units(bin)
	if err != nil {
		t.Fatal(err)
	}
	mkdir(t, filepath.Join(root, dir))
	for _, u := range units {
		if err := os.WriteFile(filepath.Join(root, dir, u.Name), u.Body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func assertAbsent(t *testing.T, paths ...string) {
	t.Helper()
	for _, f := range paths {
		if _, err := os.Lstat(f); !os.IsNotExist(err) {
			t.Errorf("%s exists (%v)", f, err)
		}
	}
}

// With the package's units for this binary in place, Install enables
// them (the wants link) and writes no second copy into /etc, which
// would override them; a second run changes nothing.
func TestInstallEnablesPackagedUnits(t *testing.T) {
	for _, dir := range packageUnitDirs {
		t.Run(dir, func(t *testing.T) {
			root, bin := newRoot(t, true, false)
			shipUnits(t, root, dir, bin)
			p := newPaths(root)
			o := Options{Mode: Systemd, Root: root, Binary: bin}
			r, err := Install(o)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Changed() {
				t.Errorf("first install changed nothing: %+v", r)
			}
			assertAbsent(t, p.service(), p.timer())
			want := "/" + filepath.Join(dir, TimerName)
			if got, err := os.Readlink(p.wantsLink()); err != nil || got != want {
				t.Errorf("wants link -> %q, %v; want %q", got, err, want)
			}
			if r, err := Install(o); err != nil || r.Changed() {
				t.Errorf("second install: %v\n%s", err, r.Details())
			}
			assertAbsent(t, p.service(), p.timer())
			verifyUnits(t, filepath.Join(root, dir, ServiceName), filepath.Join(root, dir, TimerName))
		})
	}
}

// Package units for another binary (a packaged httpsify next to one
// in /usr/local) are not enabled: Install writes its own copy as before.
func TestInstallIgnoresPackagedUnitsForAnotherBinary(t *testing.T) {
	root, bin := newRoot(t, true, false)
	shipUnits(t, root, packageUnitDirs[0], "/usr/bin/httpsify")
	p := newPaths(root)
	o := Options{Mode: Systemd, Root: root, Binary: bin}
	if _, err := Install(o); err != nil {
		t.Fatal(err)
	}
	if got, err := os.Readlink(p.wantsLink()); err != nil || got != "../"+TimerName {
		t.Errorf("wants link -> %q, %v", got, err)
	}
	if svc := readFile(t, p.service()); execBinary([]byte(svc)) != bin {
		t.Errorf("own service runs %q, want %q", execBinary([]byte(svc)), bin)
	}
	assertSecondInstallWritesNothing(t, o, p.service(), p.timer())
}

// A copy an earlier apply wrote (before the package came) gives way to
// the package's units: removed, and the link repointed.
func TestPackagedUnitsReplaceAnEarlierCopy(t *testing.T) {
	root, bin := newRoot(t, true, false)
	p := newPaths(root)
	o := Options{Mode: Systemd, Root: root, Binary: bin}
	if _, err := Install(o); err != nil {
		t.Fatal(err)
	}
	shipUnits(t, root, packageUnitDirs[0], bin)
	if _, err := Install(o); err != nil {
		t.Fatal(err)
	}
	assertAbsent(t, p.service(), p.timer())
	if got, _ := os.Readlink(p.wantsLink()); got != "/"+filepath.Join(packageUnitDirs[0], TimerName) {
		t.Errorf("wants link -> %q", got)
	}
	// Remove takes the enablement away and leaves the package's files.
	if _, err := Remove(o); err != nil {
		t.Fatal(err)
	}
	assertAbsent(t, p.wantsLink())
	if _, err := os.Stat(filepath.Join(root, packageUnitDirs[0], TimerName)); err != nil {
		t.Errorf("Remove touched the package's timer: %v", err)
	}
}
