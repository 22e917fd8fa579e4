package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"time"
)

// faultTests are the e2e tests whose outcomes RESULTS.md reports, with
// what each one asserts.
var faultTests = []struct{ name, what string }{
	{"TestApplySIGKILLAtRandomMoments", "SIGKILL at random moments: nginx -t passes, the site is wholly old or wholly new, a plain rerun finishes"},
	{"TestApplyCheckFailureRestoresEveryFile", "nginx -t fails after the write: every file restored byte for byte, nginx's error shown, old site serves"},
	{"TestApplyReloadFailureRestoresEveryFile", "reload fails after the write: every file restored byte for byte, clear message, rerun finishes"},
	{"TestApplyCAFaults", "CA answers 500 (directory, new-order, finalize), rate-limits (429), or never answers finalize: clear message, files unchanged, no certificate half installed, rerun finishes"},
	{"TestApplyCAUnreachableWritesNothing", "CA unreachable: stops before any file is touched"},
	{"TestApplyStateDirFull", "state directory full at 4 fill levels (lock, account, journal, certificate): \"no space left on device\", files unchanged, old site serves, rerun finishes"},
	{"TestApplyCertDirFull", "certificate directory's file system out of inodes: clear message, files unchanged"},
	{"TestApplySecondRunWaitsOrRefuses", "two runs at once: the second refuses naming the first's PID; with --wait it waits and succeeds"},
	{"TestTLSGradeOfTheConfiguredSite", "sslscan grade of the configured site (see the TLS table)"},
	{"TestSecretsNeverLeak", "account key, certificate key and EAB HMAC never in output, events, errors or other files; 0600 files in 0700 dirs"},
	{"TestHostileInputInEveryField", "hostile values in every field: exit 2, one-line error naming the flag, nothing written"},
}

// Faults is the outcome of the fault tests.
type Faults struct {
	Results []TestResult
	Kill    map[string]string // the SIGKILL SUMMARY fields
	Phases  string            // where the kills landed
	Took    time.Duration
}

// TestResult is one test (or subtest) as go test -json reported it.
type TestResult struct {
	Name, What, Action string
	Elapsed            float64
}

var summaryRE = regexp.MustCompile(`SIGKILL SUMMARY (.*) phases=map\[(.*)\]`)

func faultFigures(killTrials int) (*Faults, error) {
	var names []string
	for _, t := range faultTests {
		names = append(names, t.name)
	}
	start := time.Now()
	cmd := exec.Command("go", "test", "./e2e/", "-count=1", "-json", "-timeout=30m", "-run", "^("+strings.Join(names, "|")+")$")
	cmd.Env = append(loopbackEnv(), fmt.Sprintf("HTTPSIFY_KILL_TRIALS=%d", killTrials))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	f := &Faults{Kill: map[string]string{}, Took: time.Since(start)}
	what := map[string]string{}
	for _, t := range faultTests {
		what[t.name] = t.what
	}
	var failed []string
	outputs := map[string]*strings.Builder{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var ev struct {
			Action, Test, Output string
			Elapsed              float64
		}
		if json.Unmarshal(sc.Bytes(), &ev) != nil || ev.Test == "" {
			continue
		}
		if outputs[ev.Test] == nil {
			outputs[ev.Test] = &strings.Builder{}
		}
		outputs[ev.Test].WriteString(ev.Output)
		if m := summaryRE.FindStringSubmatch(ev.Output); m != nil {
			for _, kv := range strings.Fields(m[1]) {
				if k, v, ok := strings.Cut(kv, "="); ok {
					f.Kill[k] = v
				}
			}
			f.Phases = m[2]
		}
		if ev.Action == "pass" || ev.Action == "fail" {
			top, _, _ := strings.Cut(ev.Test, "/")
			f.Results = append(f.Results, TestResult{Name: ev.Test, What: what[top], Action: ev.Action, Elapsed: ev.Elapsed})
			if ev.Action == "fail" {
				failed = append(failed, ev.Test)
			}
		}
	}
	sort.SliceStable(f.Results, func(i, j int) bool { return f.Results[i].Name < f.Results[j].Name })
	if err != nil || len(failed) > 0 {
		os.Stderr.Write(stderr.Bytes())
		for _, name := range failed {
			fmt.Fprintf(os.Stderr, "--- %s:\n%s\n", name, outputs[name].String())
		}
		return f, fmt.Errorf("fault tests failed (%v): %v; rerun: go test ./e2e -run '%s' -v", failed, err, strings.Join(failed, "|"))
	}
	if len(f.Kill) == 0 {
		return f, fmt.Errorf("the SIGKILL test printed no summary")
	}
	return f, nil
}
