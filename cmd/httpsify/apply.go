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

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/termtext"
)

// runApply is `httpsify apply` once its flags are parsed.
func runApply(o provision.Options, rf runFlags, af applyFlags) int {
	secretsFromEnv(&o)
	if code, ok := dnsApplyOptions(&o); !ok {
		return code
	}
	s, err := o.Validate()
	if err != nil {
		fmt.Fprintf(os.Stderr, "httpsify: %v\n", err)
		return 2
	}
	if code, refused := refuseUpload(s); refused {
		return code
	}
	sched, err := rf.scheduleSpec()
	if err != nil {
		fmt.Fprintf(os.Stderr, "httpsify: %v\n", err)
		return 2
	}
	// SIGHUP too: a dropped SSH session must not kill a run mid-write.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	out := newPrinter(os.Stderr, rf.verbose)

	if af.dryRun {
		// The same path as apply: under the lock, after the recovery of a
		// killed run, so a dry run never plans against half-applied
		// files. A state dir that does not exist yet holds nothing to
		// recover and is not created by a dry run.
		sess, err := openForDryRun(ctx, &s.Host, out.sink, rf.wait)
		var d *provision.Detection
		if err == nil {
			defer sess.Close()
			d, err = sess.Detect(ctx)
		}
		if err != nil && os.Geteuid() != 0 {
			// nginx -T reads every included file, which as a rule only
			// root may read: say that, not nginx's "Permission denied".
			fmt.Fprint(os.Stderr, i18n.T("httpsify apply --dry-run needs root to read the nginx configuration (as a normal user nginx -T cannot read it). Run it with sudo:\n  sudo %s\n(%v)\n", provision.ShellJoin(os.Args), err))
			return 1
		}
		if err != nil {
			return out.fail(err)
		}
		p, err := sess.Plan(d, s)
		if err != nil {
			return out.fail(err)
		}
		printDryRun(os.Stdout, p, af.full)
		return 0
	}

	sess, err := provision.Open(ctx, webServer(), &s.Host, out.sink, rf.wait)
	if err != nil {
		return out.fail(err)
	}
	defer sess.Close()
	sess.Schedule = sched
	confirm := func(p *provision.Plan) bool {
		if af.yes {
			return true
		}
		fmt.Fprint(os.Stderr, "\n"+termtext.Clean(p.Describe(false))+"\n")
		return askYesNo(i18n.T("Apply these changes?"))
	}
	if !af.yes && !stdinIsTerminal() {
		return out.fail(&provision.FieldError{Field: provision.FlagYes, Err: i18n.Errorf("required when httpsify is not run from a terminal")})
	}
	start := time.Now()
	res, err := sess.Run(ctx, s, confirm)
	if errors.Is(err, provision.ErrDeclined) {
		fmt.Fprintln(os.Stderr, i18n.T("Nothing changed."))
		return 1
	}
	if err != nil && ctx.Err() != nil {
		// Signals are only honoured before the write phase (Deploy runs
		// to the end), so an interrupted run changed nothing.
		return out.fail(i18n.Errorf("interrupted: nothing was changed"))
	}
	if err != nil {
		code := out.fail(err)
		var fe *provision.FieldError
		if errors.As(err, &fe) {
			// Refused while planning: before anything was written.
			fmt.Fprintln(os.Stderr, i18n.T("Nothing was changed."))
		}
		return code
	}
	out.summary(res, time.Since(start))
	return 0
}

func askYesNo(q string) bool {
	fmt.Fprintf(os.Stderr, "%s %s ", q, i18n.T("[y/N]"))
	line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes" || a == i18n.T("yes")
}

// stdinIsTerminal asks the terminal driver, so /dev/null (a character
// device too, what cron and systemd give) does not count as someone to ask.
func stdinIsTerminal() bool { return isTerminal(os.Stdin) }
