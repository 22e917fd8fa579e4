package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

// peakRSS runs `name args` once and returns its peak resident memory in
// KiB (ru_maxrss from wait4).
func peakRSS(name string, args ...string) (int64, error) {
	c := exec.Command(name, args...)
	if out, err := c.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, fmt.Errorf("no rusage for %s", name)
	}
	return ru.Maxrss, nil
}

// issueOnly times httpsify alone, as make bench does (HTTP-01 on a fresh
// sandbox each run, until the site verifies), for the time and peak
// memory of an issuance without certbot's runs; RESULTS.md is left
// alone. Needs what make bench needs but certbot: root, nginx, Pebble.
func issueOnly(runs int) error {
	work, err := os.MkdirTemp("", "httpsify-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if err := os.Chmod(work, 0o755); err != nil { // nginx workers run as nobody
		return err
	}
	b, err := buildBinaries(filepath.Join(work, "bin"))
	if err != nil {
		return err
	}
	var rss []int64
	var secs []float64
	for i := range runs {
		base, err := sandbox.FreeBasePort()
		if err != nil {
			return err
		}
		m, err := timedRun("httpsify", b.Path, filepath.Join(work, fmt.Sprintf("sandbox-%d", i)), base, false)
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		fmt.Printf("run %d: %.2f s to a verified site, peak RSS %.1f MiB\n", i+1, m.Elapsed.Seconds(), float64(m.MaxRSSKiB)/1024)
		rss, secs = append(rss, m.MaxRSSKiB), append(secs, m.Elapsed.Seconds())
	}
	slices.Sort(rss)
	slices.Sort(secs)
	fmt.Printf("revision %s, %s\n", b.Revision, b.GoVersion)
	fmt.Printf("HTTP-01 issuance, median of %d: %.2f s to a verified site, peak RSS %.1f MiB\n", runs, secs[len(secs)/2], float64(rss[len(rss)/2])/1024)
	return nil
}
