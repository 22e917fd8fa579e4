package e2e

import (
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// SIGKILL at random moments of an apply (the power cut, the OOM killer,
// kill -9). After each kill: nginx -t passes, the site serves wholly the
// old configuration (http from the app, nothing on https) or wholly the
// new one (https with a trusted chain, http redirecting), and a plain
// rerun finishes, rolling back what the killed run left half done.
//
// Kill times are spread over a whole run: trial i of n falls at a random
// point of the i-th n-th of a typical run's duration. HTTPSIFY_KILL_TRIALS
// sets n (default 16); HTTPSIFY_KILL_SEED repeats a logged sequence.
func TestApplySIGKILLAtRandomMoments(t *testing.T) {
	sb := newSandbox(t)
	roots, err := sb.IssuerRoots()
	if err != nil {
		t.Fatal(err)
	}
	orig := snapshot(t, sb)
	apply := append([]string{"apply"}, sb.ApplyArgs()...)
	trials := envInt(t, "HTTPSIFY_KILL_TRIALS", 16)
	seed := int64(envInt(t, "HTTPSIFY_KILL_SEED", int(time.Now().UnixNano()%1e9)))
	t.Logf("seed %d, %d trials (repeat with HTTPSIFY_KILL_SEED=%d HTTPSIFY_KILL_TRIALS=%d)", seed, trials, seed, trials)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))

	// One undisturbed run gives the span the kills are spread over.
	start := time.Now()
	if out, code := run(t, apply...); code != 0 {
		t.Fatalf("undisturbed apply exited %d:\n%s", code, out)
	}
	typical := time.Since(start)
	reset := func() {
		resetSite(t, sb, orig)
		if err := os.RemoveAll(sb.StateDir); err != nil {
			t.Fatal(err)
		}
	}
	reset()

	var old, new, finished, recovered int
	phases := map[string]int{}
	for i := range trials {
		delay := time.Duration((float64(i) + rng.Float64()) / float64(trials) * float64(typical))
		r := startRun(t, apply...)
		time.Sleep(delay - time.Since(r.started))
		r.cmd.Process.Signal(syscall.SIGKILL)
		out, code := r.wait(t, 30*time.Second)
		phase := lastPhase(out)
		if code == 0 {
			finished++ // the kill came after the run had ended
			phase = "finished"
		}
		phases[phase]++

		requireNginxTest(t, sb)
		state, why := classify(sb, roots, 5*time.Second)
		switch state {
		case servedOld:
			old++
		case servedNew:
			new++
		default:
			t.Errorf("trial %d (killed at %v in %q): the site is neither old nor new: %s\n%s", i, delay.Round(time.Millisecond), phase, why, out)
		}

		out, code = run(t, apply...)
		if code != 0 {
			t.Fatalf("trial %d (killed at %v in %q): the rerun exited %d:\n%s", i, delay.Round(time.Millisecond), phase, code, out)
		}
		rolledBack := strings.Contains(out, "an earlier run was interrupted")
		if rolledBack {
			recovered++
		}
		if s, why := classify(sb, roots, 5*time.Second); s != servedNew {
			t.Fatalf("trial %d: after the rerun the site is %s: %s", i, s, why)
		}
		t.Logf("trial %2d: kill at %4dms in %-8s → served %s; rerun rolled back an interrupted change: %v",
			i, delay.Milliseconds(), phase, state, rolledBack)
		reset()
	}
	// One line for bench/RESULTS.md (the bench parses it).
	t.Logf("SIGKILL SUMMARY trials=%d seed=%d typical=%dms old=%d new=%d mixed=%d finished_before_kill=%d recovered=%d rerun_ok=%d phases=%v",
		trials, seed, typical.Milliseconds(), old, new, trials-old-new, finished, recovered, trials, phases)
}

var phaseRE = regexp.MustCompile(`(?m)^[…✓✗! ·] (\w+)\s`)

// lastPhase is the phase of the last event the run printed.
func lastPhase(out string) string {
	m := phaseRE.FindAllStringSubmatch(out, -1)
	if len(m) == 0 {
		return "start"
	}
	return m[len(m)-1][1]
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 1000 {
		t.Fatalf("%s=%q is not a count up to 1000", name, v)
	}
	return n
}
