// Command bench measures httpsify against Debian's certbot on the same
// private sandbox (nginx, Pebble, the classic plain-HTTP site), all on
// loopback, and writes the figures to bench/RESULTS.md:
//
//	go run ./bench [-runs 5] [-kill-trials 40] [-out bench/RESULTS.md]
//	go run ./bench -startup-only   # start-up, sizes and memory at start only (make bench-startup)
//	go run ./bench -issue-only 5   # httpsify's HTTP-01 issuance alone: time and peak memory
//	go run ./bench -renew-only     # only the renew rows (nothing due), spliced into -out
//
// Each run starts from a fresh sandbox (new Pebble, new state) and times
// the command until the site is verified from outside: a TLS handshake
// trusting only Pebble's root and an https request reaching the app.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	runs := flag.Int("runs", 5, "timed runs per tool (median reported)")
	base := flag.Int("base-port", 44080, "first of the sandbox's 6 loopback ports")
	killTrials := flag.Int("kill-trials", 40, "SIGKILL trials for the fault figures (0: skip the fault tests)")
	out := flag.String("out", "bench/RESULTS.md", "where to write the results")
	startupOnly := flag.Bool("startup-only", false, "only build, time --version and print the binary sizes (no sandbox, no certbot; RESULTS.md is left alone)")
	issueRuns := flag.Int("issue-only", 0, "only time httpsify's HTTP-01 issuance this many times, with its peak memory (no certbot; RESULTS.md is left alone)")
	renewOnlyFlag := flag.Bool("renew-only", false, "only time `httpsify renew` (1, 100, 1000 sites) and `certbot renew` (20 lineages) with nothing due, and replace that section of -out (no sandbox)")
	flag.Parse()
	if *renewOnlyFlag {
		if err := renewOnly(*runs, *out); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if *issueRuns > 0 {
		if err := issueOnly(*issueRuns); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if *startupOnly {
		if err := startupAndSize(); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*runs, *base, *killTrials, *out); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(runs, base, killTrials int, out string) error {
	if runs < 1 || runs > 50 {
		return fmt.Errorf("-runs %d: want 1 to 50", runs)
	}
	if _, err := exec.LookPath("certbot"); err != nil {
		return fmt.Errorf("certbot is not installed; run `make bench` (it installs Debian's certbot and python3-certbot-nginx)")
	}
	work, err := os.MkdirTemp("", "httpsify-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	// nginx workers run as nobody and must reach the sandbox.
	if err := os.Chmod(work, 0o755); err != nil {
		return err
	}
	r := &Results{Started: time.Now(), Runs: runs}
	logf("building httpsify")
	if r.Bin, err = buildBinaries(filepath.Join(work, "bin")); err != nil {
		return err
	}
	r.Machine = machineInfo()

	for i := range runs {
		// Alternate who goes first, so a warming machine favours neither.
		order := []string{"httpsify", "certbot"}
		if i%2 == 1 {
			order = []string{"certbot", "httpsify"}
		}
		for _, tool := range order {
			m, err := timedRun(tool, r.Bin.Path, filepath.Join(work, "sandbox-"+tool), base, i == runs-1)
			if err != nil {
				return fmt.Errorf("%s run %d: %w", tool, i+1, err)
			}
			logf("%s run %d: %.2fs to a verified site, peak RSS %d MiB", tool, i+1, m.Elapsed.Seconds(), m.MaxRSSKiB>>10)
			r.add(tool, m)
		}
	}
	logf("start-up times")
	if r.StartHTTPSify, err = startup(r.Bin.Path, "--version"); err != nil {
		return err
	}
	if r.StartCertbot, err = startup("certbot", "--version"); err != nil {
		return err
	}
	r.CertbotSize = certbotSize()
	logf("renew with nothing due")
	if r.Renew, err = renewFigures(r.Bin.Path, work, runs); err != nil {
		return err
	}
	r.Renew.Revision = r.Bin.Revision
	if killTrials > 0 {
		logf("fault tests (%d SIGKILL trials; a few minutes)", killTrials)
		if r.Faults, err = faultFigures(killTrials); err != nil {
			return err
		}
	}
	r.Finished = time.Now()
	if err := os.WriteFile(out, []byte(r.Markdown()), 0o644); err != nil {
		return err
	}
	logf("wrote %s", out)
	return nil
}

// startupAndSize is the part of the table a change to start-up or size
// needs, in seconds rather than minutes.
func startupAndSize() error {
	work, err := os.MkdirTemp("", "httpsify-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	b, err := buildBinaries(work)
	if err != nil {
		return err
	}
	start, err := startup(b.Path, "--version")
	if err != nil {
		return err
	}
	fmt.Printf("revision %s, %s\n", b.Revision, b.GoVersion)
	fmt.Printf("start-up: --version (median of 30): %.1f ms\n", ms(start))
	var rss []string
	for _, args := range [][]string{{"--version"}, {"dns-providers"}} {
		kib, err := peakRSS(b.Path, args...)
		if err != nil {
			return err
		}
		rss = append(rss, fmt.Sprintf("%s %.1f MiB", args[0], float64(kib)/1024))
	}
	fmt.Printf("peak RSS (one run each): %s\n", strings.Join(rss, ", "))
	fmt.Printf("size: %.1f MiB binary, %.1f MiB stripped; DNS provider helper %.1f MiB stripped\n", float64(b.Size)/(1<<20), float64(b.StrippedSize)/(1<<20), float64(b.HelperStrippedSize)/(1<<20))
	fmt.Printf("release binaries per architecture (CGO_ENABLED=0 -trimpath -s -w): %s\n", b.releaseSizesText())
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
