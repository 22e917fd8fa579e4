package txn

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Env vars that turn the test binary into a crashing child.
const (
	envCrashAt   = "HTTPSIFY_TXN_CRASH_AT"
	envCrashRoot = "HTTPSIFY_TXN_CRASH_ROOT"
)

func TestMain(m *testing.M) {
	if at := os.Getenv(envCrashAt); at != "" {
		crashChild(at, os.Getenv(envCrashRoot))
	}
	os.Exit(m.Run())
}

// crashChild runs a transaction on an existing fixture and SIGKILLs itself
// at the requested point: no deferred cleanup, no journal update, exactly
// like the OOM killer or a power cut.
func crashChild(at, root string) {
	f := fixture{root: root, state: root + "/state", nginx: root + "/etc/nginx"}
	die := func() {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Minute)
	}
	fail := func(err error) { fmt.Fprintln(os.Stderr, err); os.Exit(3) }
	tx, err := Begin(f.state, f.changes())
	if err != nil {
		fail(err)
	}
	fmt.Println(tx.ID)
	switch at {
	case "prepared":
		die()
	case "applying":
		testHookBeforeApply = func(i int, _ string) {
			if i == 3 { // three targets replaced, the rest not
				die()
			}
		}
	}
	if err := tx.Commit(); err != nil {
		fail(err)
	}
	die() // "applied": committed, never confirmed with Done
}

func TestRecoverAfterSIGKILL(t *testing.T) {
	for _, at := range []State{StatePrepared, StateApplying, StateApplied} {
		t.Run(string(at), func(t *testing.T) {
			f := newFixture(t, t.TempDir())
			before := snapTree(t, f.nginx)

			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), envCrashAt+"="+string(at), envCrashRoot+"="+f.root)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("child did not die by SIGKILL: %v\n%s", err, stderr.String())
			}
			id := strings.TrimSpace(string(out))
			if st := journalState(t, f.state, id); st != at {
				t.Fatalf("journal state %s, want %s", st, at)
			}
			// The crash left the server half-changed (applying) or changed.
			nginxConf := snap(t, f.p("nginx.conf")).Data
			if changed := nginxConf != before[f.p("nginx.conf")].Data; changed != (at != StatePrepared) {
				t.Fatalf("nginx.conf changed=%v at %s", changed, at)
			}
			if at == StateApplying && snap(t, f.p("conf.d/new.conf")).Exists {
				t.Fatal("child got further than intended")
			}

			restored, err := Recover(f.state)
			must(t, err)
			t.Logf("recovered: %q", restored)
			assertTree(t, before, snapTree(t, f.nginx))
			if tmp := tempsUnder(t, f.root); len(tmp) > 0 {
				t.Errorf("temps left: %v", tmp)
			}
			if st := journalState(t, f.state, id); st != StateRolledBack {
				t.Errorf("journal state %s after Recover", st)
			}
			if at != StatePrepared && !contains(restored, "restored "+f.p("nginx.conf")) {
				t.Errorf("Recover did not report nginx.conf: %q", restored)
			}
			again, err := Recover(f.state)
			if err != nil || len(again) != 0 {
				t.Errorf("second Recover: %q, %v", again, err)
			}
		})
	}
}

// Dropping a committed Tx without Done (same process) is also recovered.
func TestRecoverAbandonedTx(t *testing.T) {
	f := newFixture(t, t.TempDir())
	before := snapTree(t, f.nginx)
	tx, err := Begin(f.state, f.changes())
	must(t, err)
	must(t, tx.Commit())
	done, err := Begin(f.state, []Change{{Path: f.p("extra/y.conf"), Content: []byte("y")}})
	must(t, err)
	must(t, done.Commit())
	must(t, done.Done()) // finished transactions are left alone
	delete(before, f.p("extra/y.conf"))

	_, err = Recover(f.state)
	must(t, err)
	after := snapTree(t, f.nginx)
	if !after[f.p("extra/y.conf")].Exists {
		t.Error("Recover touched a finished transaction")
	}
	delete(after, f.p("extra/y.conf"))
	assertTree(t, before, after)
}

func TestRecoverEmptyStateDir(t *testing.T) {
	got, err := Recover(t.TempDir() + "/missing")
	if err != nil || got != nil {
		t.Fatalf("Recover: %q, %v", got, err)
	}
}

func contains(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
