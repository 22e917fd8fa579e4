package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/statedir"
	"github.com/httpsify/httpsify/provision/termtext"
)

// timerDelay is the most the timer's run waits before starting, so that
// many servers started by the same clock do not reach the CA at once.
const timerDelay = 3 * time.Minute

func newRenewCmd(code *int) *cobra.Command {
	var rf renewFlags
	c := &cobra.Command{
		Use:   "renew [--domain NAME] [--force] [--dry-run]",
		Short: i18n.T("renew the certificates httpsify manages that are due"),
		Long: i18n.T(`renew reads every site httpsify manages from the state dir (its stored request,
certificate and server settings) and renews the certificates that are due: when
the CA's renewal information (ARI) says so or a third of the lifetime is left.
A check where nothing is due and every CA answer is fresh uses no network.

A renewal swaps only the certificate link (never a site file), runs nginx -t,
reloads and verifies that every name serves the new certificate; on any failure
the old certificate stays served. The outcome of each site is recorded in
STATE-DIR/renewals.json. The deploy hook runs after a successful renewal.

Exit status: 0 when every site is fine (renewed or not due); 1 when any site
failed; 2 on bad input.`),
		Example: `  sudo httpsify renew
  sudo httpsify renew --dry-run
  sudo httpsify renew --domain www.example.com --force`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			*code = runRenew(rf, os.Stdout, os.Stderr)
			return nil
		},
	}
	rf.register(c.Flags())
	return c
}

func runRenew(rf renewFlags, stdout, stderr io.Writer) int {
	h, err := provision.Options{StateDir: rf.stateDir}.ValidateHost()
	if err != nil {
		fmt.Fprintf(stderr, "httpsify: %v\n", err)
		return 2
	}
	if err := provision.CheckRenewOptions(rf.profile, rf.deployHook); err != nil {
		fmt.Fprintf(stderr, "httpsify: %v\n", err)
		return 2
	}
	run := provision.RenewRun{Layout: statedir.Layout(h.StateDir), Force: rf.force, DryRun: rf.dryRun, Domain: rf.domain}
	if rf.profile != "" {
		run.ACMEProfile = &rf.profile
	}
	if rf.deployHook != "" {
		run.DeployHook = &rf.deployHook
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	out := newPrinter(stderr, rf.verbose)
	if rf.fromTime && !rf.dryRun {
		select {
		case <-time.After(rand.N(timerDelay)):
		case <-ctx.Done():
			return 1
		}
	}
	var sess *provision.Session
	if rf.dryRun {
		if sess, err = openForDryRun(ctx, h, out.sink, rf.wait); err != nil {
			return out.fail(err)
		}
	} else if sess, err = provision.Open(ctx, webServer(), h, out.sink, rf.wait); err != nil {
		return out.fail(err)
	}
	defer sess.Close()
	results, err := run.Renew(ctx, sess, out.sink)
	var fe *provision.FieldError
	if errors.As(err, &fe) {
		fmt.Fprintf(stderr, "httpsify: %v\n", err)
		return 2
	}
	code := printRenewals(stdout, results, rf.dryRun)
	if err != nil {
		fmt.Fprintf(stderr, "httpsify: %v\n", termtext.Line(err.Error()))
		return 1
	}
	if len(results) == 0 {
		fmt.Fprint(stdout, i18n.T("no managed sites in %s\n", h.StateDir))
	}
	return code
}

// printRenewals says, one block per site, what was done and why; the exit
// code is 1 when any site failed.
func printRenewals(w io.Writer, results []provision.SiteRenewal, dryRun bool) int {
	code := 0
	for _, r := range results {
		why := ""
		if r.Check != nil {
			why = r.Check.Why()
		}
		switch {
		case r.Outcome == provision.OutcomeFailed:
			code = 1
			fmt.Fprint(w, i18n.T("%s: FAILED, the old certificate is still served: %s\n", r.Primary, termtext.Clean(r.Err.Error())))
		case dryRun && r.Check != nil && (r.Check.Decision.Due || r.Check.Forced):
			fmt.Fprint(w, i18n.T("%s: would renew: %s\n", r.Primary, why))
		case r.Outcome == provision.OutcomeRenewed:
			fmt.Fprint(w, i18n.T("%s: renewed (%s); the new certificate is served, valid until %s\n", r.Primary, why, r.Result.Issued.Leaf.NotAfter.UTC().Format(time.RFC3339)))
		default:
			fmt.Fprintf(w, "%s: %s\n", r.Primary, why)
		}
		if r.HookErr != nil {
			fmt.Fprint(w, i18n.T("%s: warning: %s\n", r.Primary, termtext.Clean(r.HookErr.Error())))
		}
		if r.Check != nil && r.Check.ARIErr != nil {
			fmt.Fprint(w, i18n.T("%s: warning: the CA's renewal information: %s\n", r.Primary, termtext.Clean(r.Check.ARIErr.Error())))
		}
	}
	return code
}
