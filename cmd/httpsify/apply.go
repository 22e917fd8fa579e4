package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/httpsify/httpsify/provision"
)

// runApply is `httpsify apply` once its flags are parsed.
func runApply(o provision.Options, rf runFlags, af applyFlags) int {
	secretsFromEnv(&o)
	s, err := o.Validate()
	if err != nil {
		fmt.Fprintf(os.Stderr, "httpsify: %v\n", err)
		return 2
	}
	// SIGHUP too: a dropped SSH session must not kill a run mid-write.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	out := newPrinter(os.Stderr, rf.verbose)

	if af.dryRun {
		d, err := provision.Detect(ctx, s, out.sink)
		if err != nil {
			return out.fail(err)
		}
		p, err := provision.BuildPlan(d, s)
		if err != nil {
			return out.fail(err)
		}
		p.CheckUpstream()
		fmt.Print(p.Describe(true))
		return 0
	}

	sess, err := provision.Open(ctx, s, out.sink, rf.wait)
	if err != nil {
		return out.fail(err)
	}
	defer sess.Close()
	confirm := func(p *provision.Plan) bool {
		if af.yes {
			return true
		}
		fmt.Fprint(os.Stderr, "\n"+p.Describe(false)+"\n")
		return askYesNo("Apply these changes?")
	}
	if !af.yes && !stdinIsTerminal() {
		return out.fail(errors.New("--yes: required when httpsify is not run from a terminal"))
	}
	start := time.Now()
	res, err := sess.Run(ctx, confirm)
	if errors.Is(err, provision.ErrDeclined) {
		fmt.Fprintln(os.Stderr, "Nothing changed.")
		return 1
	}
	if err != nil && ctx.Err() != nil {
		// Signals are only honoured before the write phase (Deploy runs
		// to the end), so an interrupted run changed nothing.
		return out.fail(errors.New("interrupted: nothing was changed"))
	}
	if err != nil {
		return out.fail(err)
	}
	out.summary(res, time.Since(start))
	return 0
}

func askYesNo(q string) bool {
	fmt.Fprintf(os.Stderr, "%s [y/N] ", q)
	line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes"
}

func stdinIsTerminal() bool {
	st, err := os.Stdin.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
