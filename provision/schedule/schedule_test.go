package schedule

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// newRoot makes a temporary root shaped like a Debian server: with
// systemd running (run/systemd/system) or with cron (etc/cron.d), and a
// stub httpsify binary so systemd-analyze finds ExecStart executable.
func newRoot(t *testing.T, systemd, cron bool) (root, bin string) {
	t.Helper()
	root = t.TempDir()
	if systemd {
		mkdir(t, filepath.Join(root, systemdRun))
	}
	if cron {
		mkdir(t, filepath.Join(root, cronDir))
	}
	bin = filepath.Join(root, "usr/local/bin/httpsify")
	mkdir(t, filepath.Dir(bin))
	if err := os.WriteFile(bin, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return root, bin
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"": Auto, "auto": Auto, "systemd": Systemd, "cron": Cron, "none": None} {
		if got, err := ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"Systemd", "anacron", "cron ", "none\n"} {
		_, err := ParseMode(in)
		var me *ModeError
		if !errors.As(err, &me) || me.Value != in {
			t.Errorf("ParseMode(%q) error = %v, want *ModeError for it", in, err)
		}
	}
}

func TestInstallSystemd(t *testing.T) {
	for _, mode := range []Mode{Auto, Systemd} {
		t.Run(string(mode), func(t *testing.T) {
			root, bin := newRoot(t, true, true)
			p := newPaths(root)
			r, err := Install(Options{Mode: mode, Root: root, Binary: bin})
			if err != nil {
				t.Fatal(err)
			}
			if r.Mode != Systemd || !r.Changed() {
				t.Fatalf("result %+v, want systemd with changes", r)
			}
			if want := "installed httpsify-renew.timer (systemd, twice a day)"; r.Summary() != want {
				t.Errorf("summary %q, want %q", r.Summary(), want)
			}
			for _, f := range []string{p.service(), p.timer()} {
				assertMode(t, f, 0o644)
			}
			svc := readFile(t, p.service())
			if !strings.Contains(svc, "\nExecStart="+bin+" renew --from-timer\n") || !strings.Contains(svc, "\nType=oneshot\n") {
				t.Errorf("service lacks ExecStart or Type:\n%s", svc)
			}
			tmr := readFile(t, p.timer())
			for _, want := range []string{"\nOnCalendar=*-*-* 00,12:00:00\n", "\nRandomizedDelaySec=", "\nPersistent=true\n", "\nWantedBy=timers.target\n"} {
				if !strings.Contains(tmr, want) {
					t.Errorf("timer lacks %q", want)
				}
			}
			if got, err := os.Readlink(p.wantsLink()); err != nil || got != "../"+TimerName {
				t.Errorf("wants link -> %q, %v", got, err)
			}
			if _, err := os.Stat(p.wantsLink()); err != nil {
				t.Errorf("wants link does not resolve: %v", err)
			}
			if _, err := os.Lstat(p.cron()); !os.IsNotExist(err) {
				t.Errorf("cron file written too: %v", err)
			}
			assertSecondInstallWritesNothing(t, Options{Mode: mode, Root: root, Binary: bin}, p.service(), p.timer())
			verifyUnits(t, p.service(), p.timer())
		})
	}
}

func TestInstallCron(t *testing.T) {
	for _, mode := range []Mode{Auto, Cron} {
		t.Run(string(mode), func(t *testing.T) {
			root, bin := newRoot(t, false, true)
			p := newPaths(root)
			r, err := Install(Options{Mode: mode, Root: root, Binary: bin})
			if err != nil {
				t.Fatal(err)
			}
			if r.Mode != Cron || !r.Changed() {
				t.Fatalf("result %+v, want cron with changes", r)
			}
			assertMode(t, p.cron(), 0o644)
			checkCronFile(t, readFile(t, p.cron()), bin)
			for _, f := range []string{p.service(), p.timer(), p.wantsLink()} {
				if _, err := os.Lstat(f); !os.IsNotExist(err) {
					t.Errorf("%s written in cron mode", f)
				}
			}
			assertSecondInstallWritesNothing(t, Options{Mode: mode, Root: root, Binary: bin}, p.cron())
		})
	}
}

func TestCronTimesAreRandomAndInRange(t *testing.T) {
	minutes := map[string]bool{}
	for range 20 {
		root, bin := newRoot(t, false, true)
		if _, err := Install(Options{Mode: Cron, Root: root, Binary: bin}); err != nil {
			t.Fatal(err)
		}
		line := cronEntry(t, readFile(t, newPaths(root).cron()))
		minutes[strings.Fields(line)[0]] = true
	}
	// 20 installs all picking one minute: chance 60^-19.
	if len(minutes) < 2 {
		t.Errorf("20 installs chose the same minute: %v", minutes)
	}
}

func TestSwitchingModesRemovesTheOther(t *testing.T) {
	root, bin := newRoot(t, false, true)
	p := newPaths(root)
	if _, err := Install(Options{Mode: Systemd, Root: root, Binary: bin}); err != nil {
		t.Fatal(err)
	}
	if _, err := Install(Options{Mode: Cron, Root: root, Binary: bin}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{p.service(), p.timer(), p.wantsLink()} {
		if _, err := os.Lstat(f); !os.IsNotExist(err) {
			t.Errorf("%s left after switching to cron", f)
		}
	}
	if _, err := Install(Options{Mode: Systemd, Root: root, Binary: bin}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(p.cron()); !os.IsNotExist(err) {
		t.Errorf("cron file left after switching to systemd")
	}
}

func TestRemove(t *testing.T) {
	root, bin := newRoot(t, true, true)
	p := newPaths(root)
	if _, err := Install(Options{Mode: Systemd, Root: root, Binary: bin}); err != nil {
		t.Fatal(err)
	}
	// A cron file from an earlier install under cron goes too.
	if err := os.WriteFile(p.cron(), []byte("1 2,14 * * * root x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Remove(Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Actions) != 4 || r.Summary() != "removed the renewal schedule" {
		t.Errorf("remove: %q\n%s", r.Summary(), r.Details())
	}
	for _, f := range []string{p.service(), p.timer(), p.wantsLink(), p.cron()} {
		if _, err := os.Lstat(f); !os.IsNotExist(err) {
			t.Errorf("%s left after Remove", f)
		}
	}
	if r, err := Remove(Options{Root: root}); err != nil || len(r.Actions) != 0 {
		t.Errorf("second Remove: %v, %v", r.Actions, err)
	}
}

func TestPlanWritesNothing(t *testing.T) {
	root, bin := newRoot(t, true, false)
	before := listTree(t, root)
	plan, err := Plan(Options{Mode: Auto, Root: root, Binary: bin})
	if err != nil {
		t.Fatal(err)
	}
	if after := listTree(t, root); after != before {
		t.Fatalf("Plan wrote:\nbefore %s\nafter %s", before, after)
	}
	if want := "will install httpsify-renew.timer (systemd, twice a day)"; plan.Summary() != want {
		t.Errorf("plan summary %q, want %q", plan.Summary(), want)
	}
	done, err := Install(Options{Mode: Auto, Root: root, Binary: bin})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Details() != done.Details() {
		t.Errorf("plan and install differ:\nplan:\n%s\ninstall:\n%s", plan.Details(), done.Details())
	}
}

func TestNoScheduler(t *testing.T) {
	root, bin := newRoot(t, false, false)
	var ns *NoSchedulerError
	if _, err := Install(Options{Mode: Auto, Root: root, Binary: bin}); !errors.As(err, &ns) {
		t.Errorf("auto with neither systemd nor cron: %v", err)
	}
	if _, err := Install(Options{Mode: Cron, Root: root, Binary: bin}); !errors.As(err, &ns) || ns.Mode != Cron {
		t.Errorf("cron without /etc/cron.d: %v", err)
	}
	if r, err := Install(Options{Mode: None, Root: root, Binary: bin}); err != nil || len(r.Actions) != 0 {
		t.Errorf("none: %+v, %v", r, err)
	}
	if _, err := os.Stat(filepath.Join(root, "etc")); !os.IsNotExist(err) {
		t.Errorf("something was written: %v", err)
	}
}

func TestBadBinaryRefused(t *testing.T) {
	root, _ := newRoot(t, true, true)
	for _, bin := range []string{"", "httpsify", "/usr/bin/../bin/httpsify", "/opt/my app/httpsify", "/usr/bin/h%n", "/usr/bin/h;reboot", "/usr/bin/h\nx", "/usr/bin/$HOME"} {
		var be *BinaryError
		if _, err := Install(Options{Mode: Systemd, Root: root, Binary: bin}); !errors.As(err, &be) {
			t.Errorf("binary %q: %v, want *BinaryError", bin, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, unitDir)); !os.IsNotExist(err) {
		t.Errorf("unit dir written for a refused binary")
	}
}

func TestPlantedPathsRefused(t *testing.T) {
	root, bin := newRoot(t, true, false)
	p := newPaths(root)
	mkdir(t, p.service()) // a directory where the service would go
	var ue *UnsafePathError
	if _, err := Install(Options{Mode: Systemd, Root: root, Binary: bin}); !errors.As(err, &ue) || ue.Path != p.service() {
		t.Errorf("directory at service path: %v", err)
	}
	root, bin = newRoot(t, true, false)
	p = newPaths(root)
	mkdir(t, filepath.Dir(p.wantsLink()))
	if err := os.Symlink("/etc/shadow", p.wantsLink()); err != nil {
		t.Fatal(err)
	}
	if _, err := Install(Options{Mode: Systemd, Root: root, Binary: bin}); !errors.As(err, &ue) || ue.Path != p.wantsLink() {
		t.Errorf("foreign link at wants path: %v", err)
	}
	if got, _ := os.Readlink(p.wantsLink()); got != "/etc/shadow" {
		t.Errorf("foreign link replaced: -> %q", got)
	}
}

// assertSecondInstallWritesNothing: same inode, same mtime, only Keep.
func assertSecondInstallWritesNothing(t *testing.T, o Options, files ...string) {
	t.Helper()
	type id struct{ ino, mtime int64 }
	stamp := func() []id {
		var ids []id
		for _, f := range files {
			var st syscall.Stat_t
			if err := syscall.Stat(f, &st); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id{int64(st.Ino), st.Mtim.Nano()})
		}
		return ids
	}
	before := stamp()
	r, err := Install(o)
	if err != nil {
		t.Fatal(err)
	}
	if r.Changed() {
		t.Errorf("second install changed things:\n%s", r.Details())
	}
	for _, a := range r.Actions {
		if a.Verb != Keep {
			t.Errorf("second install: %s", a)
		}
	}
	if !strings.HasPrefix(r.Summary(), "keeps ") {
		t.Errorf("second install summary %q", r.Summary())
	}
	after := stamp()
	for i := range files {
		if before[i] != after[i] {
			t.Errorf("%s rewritten by the second install", files[i])
		}
	}
}

// verifyUnits runs systemd-analyze verify; its warnings (unknown keys,
// bad values) exit 0, so any output fails too.
func verifyUnits(t *testing.T, units ...string) {
	t.Helper()
	if out, err := analyzeVerify(units...); err != nil || out != "" {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

func analyzeVerify(units ...string) (string, error) {
	out, err := exec.Command("systemd-analyze", append([]string{"verify", "--man=no"}, units...)...).CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// The verify check itself catches a broken unit: a test of units that
// would pass with any unit is no test.
func TestVerifyCatchesBrokenUnits(t *testing.T) {
	root, bin := newRoot(t, true, false)
	if _, err := Install(Options{Mode: Systemd, Root: root, Binary: bin}); err != nil {
		t.Fatal(err)
	}
	p := newPaths(root)
	svc := readFile(t, p.service())
	for name, broken := range map[string]string{
		"unknown key":     strings.Replace(svc, "Type=oneshot", "Type=oneshot\nProtectSytem=true", 1),
		"missing binary":  strings.Replace(svc, bin, bin+"-gone", 1),
		"bad hardening":   strings.Replace(svc, "ProtectSystem=true", "ProtectSystem=sometimes", 1),
		"bad timeout":     strings.Replace(svc, "TimeoutStartSec=3h", "TimeoutStartSec=3 fortnights", 1),
		"relative binary": strings.Replace(svc, "ExecStart="+bin, "ExecStart=httpsify-nonexistent", 1),
	} {
		if err := os.WriteFile(p.service(), []byte(broken), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := analyzeVerify(p.service(), p.timer()); err == nil && out == "" {
			t.Errorf("%s: systemd-analyze verify found nothing", name)
		}
	}
}

func cronEntry(t *testing.T, file string) string {
	t.Helper()
	var entries []string
	for _, line := range strings.Split(file, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.Contains(strings.Fields(line)[0], "=") {
			continue
		}
		entries = append(entries, line)
	}
	if len(entries) != 1 {
		t.Fatalf("want one cron entry, got %q", entries)
	}
	return entries[0]
}

// checkCronFile checks the file as Debian's cron reads /etc/cron.d: env
// lines, then one entry of 5 time fields, a user and the command.
func checkCronFile(t *testing.T, file, bin string) {
	t.Helper()
	if !strings.HasSuffix(file, "\n") {
		t.Error("cron file does not end in a newline: cron ignores the last line")
	}
	if !strings.Contains(file, "\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n") {
		t.Error("cron file sets no PATH")
	}
	f := strings.Fields(cronEntry(t, file))
	if len(f) < 7 {
		t.Fatalf("cron entry has %d fields: %q", len(f), f)
	}
	ranges := [5][2]int{{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}}
	for i, r := range ranges {
		if err := cronField(f[i], r[0], r[1]); err != nil {
			t.Errorf("field %d %q: %v", i+1, f[i], err)
		}
	}
	if hours := strings.Split(f[1], ","); len(hours) != 2 {
		t.Errorf("hours %q: want two a day", f[1])
	}
	if f[5] != "root" || f[6] != bin || strings.Join(f[7:], " ") != "renew --from-timer 2>&1 | logger -t httpsify-renew" {
		t.Errorf("cron command %q", f[5:])
	}
}

func cronField(s string, lo, hi int) error {
	if s == "*" {
		return nil
	}
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return err
		}
		if n < lo || n > hi {
			return errors.New("out of range")
		}
	}
	return nil
}

func TestCronFieldCheckRejects(t *testing.T) {
	for _, c := range []struct {
		s      string
		lo, hi int
	}{{"60", 0, 59}, {"-1", 0, 59}, {"3,24", 0, 23}, {"0", 1, 31}, {"x", 0, 59}, {"", 0, 59}} {
		if cronField(c.s, c.lo, c.hi) == nil {
			t.Errorf("cronField(%q, %d, %d) accepted", c.s, c.lo, c.hi)
		}
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm() != want {
		t.Errorf("%s: mode %v, want regular %v", path, fi.Mode(), want)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func listTree(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(root, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		b.WriteString(path + " " + fi.Mode().String() + "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
