package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/statedir"
	"github.com/httpsify/httpsify/provision/termtext"
	"github.com/httpsify/httpsify/provision/trustdir"
	"github.com/httpsify/httpsify/provision/validate"
)

func newRemoveCmd(code *int) *cobra.Command {
	var (
		o provision.Options
		f removeFlags
	)
	c := &cobra.Command{
		Use:   "remove --domain NAME [--keep-config] [--dry-run] [--yes]",
		Short: i18n.T("stop managing a site: restore its config as it was before httpsify, or keep it"),
		Long: i18n.T(`remove stops httpsify managing a site. By default it restores the site: every
file httpsify changed for it goes back byte for byte to what it was before
httpsify's first change of it (from the backups), as one transaction; then
nginx -t, a reload, and a check that the site answers plain HTTP the way it
answered HTTPS just before. On any failure everything is put back (HTTPS) and
nginx is reloaded. A file edited since httpsify changed it is never
overwritten: the restore is refused (use --keep-config, or restore it by hand).

With --keep-config the site keeps its HTTPS config and certificate as they are
and nothing of nginx is touched; httpsify only forgets it: the certificate will
then NOT be renewed by httpsify.

Either way the site's stored request and records go (renew and status no longer
list it), DNS credentials no other site uses are deleted, and the renewal
schedule httpsify installed goes with the last site it renews.

Exit status: 0 when the site was removed (and, restoring, verified to answer
plain HTTP); 2 on bad input, a site httpsify does not manage, a restore that
would drop an edit, or no --yes without a terminal (nothing is changed);
1 when the question is answered no (nothing is changed) or on any other
failure, after restoring what was there.`),
		Example: `  sudo httpsify remove --domain www.example.com --dry-run
  sudo httpsify remove --domain www.example.com
  sudo httpsify remove --domain www.example.com --keep-config --yes`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			*code = runRemove(o, f, os.Stdout, os.Stderr)
			return nil
		},
	}
	hostFlags(c.Flags(), &o)
	f.register(c.Flags())
	return c
}

func runRemove(o provision.Options, f removeFlags, stdout, stderr io.Writer) int {
	out := newPrinter(stderr, f.verbose)
	h, err := o.ValidateHost()
	if err != nil {
		return out.fail(err)
	}
	if f.domain == "" {
		return out.fail(&provision.FieldError{Field: provision.FlagDomain, Err: i18n.Errorf("name the site to remove")})
	}
	names, err := validate.Domains([]string{f.domain}, true)
	if err != nil {
		return out.fail(&provision.FieldError{Field: provision.FlagDomain, Err: err})
	}
	if !filepath.IsAbs(f.scheduleRoot) {
		return out.fail(&provision.FieldError{Field: provision.FlagScheduleRoot, Err: i18n.Errorf("must be an absolute path")})
	}
	// Refuse an untrusted state dir before reading anything from it.
	if err := trustdir.Check(h.StateDir); err != nil {
		return out.fail(&provision.FieldError{Field: provision.FlagStateDir, Err: err})
	}
	if !f.yes && !f.dryRun && !stdinIsTerminal() {
		return out.fail(&provision.FieldError{Field: provision.FlagYes, Err: i18n.Errorf("required when httpsify is not run from a terminal")})
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	var sess *provision.Session
	if f.dryRun {
		// No lock, no recovery: a dry run writes nothing at all.
		sess = provision.Unlocked(webServer(), h, out.sink)
	} else if sess, err = provision.Open(ctx, webServer(), h, out.sink, f.wait); err != nil {
		return out.fail(err)
	}
	defer sess.Close()
	sess.Schedule = &provision.ScheduleSpec{Root: f.scheduleRoot}
	site := names[0]
	// Any of the site's names will do (its primary is stored).
	if primary, err := provision.SiteNamed(statedir.Layout(h.StateDir), site); err != nil {
		return out.fail(err)
	} else if primary != "" {
		site = primary
	}
	rp, err := sess.PlanRemove(site, !f.keepConfig)
	if err != nil {
		return failRefused(out, err)
	}
	if f.dryRun {
		printRemovePlan(stdout, rp)
		fmt.Fprintln(stdout, i18n.T("Dry run: nothing was changed."))
		return 0
	}
	if !f.yes {
		printRemovePlan(stderr, rp)
		if !askYesNo(i18n.T("Remove %s?", rp.Settings.Primary())) {
			fmt.Fprintln(stderr, i18n.T("Nothing changed."))
			return 1
		}
	}
	res, err := sess.Remove(ctx, rp)
	if err != nil {
		// A file edited while the question was open is refused as in
		// the plan, before anything is written.
		return failRefused(out, err)
	}
	printRemoved(stderr, res)
	return 0
}

// printRemovePlan says what a removal will do, one line a thing.
func printRemovePlan(w io.Writer, rp *provision.RemovePlan) {
	w = termtext.Writer(w)
	fmt.Fprintf(w, "%s:\n", rp.Heading())
	for _, l := range rp.Lines() {
		fmt.Fprintf(w, "  %s\n", l)
	}
}

func printRemoved(w io.Writer, res *provision.RemoveResult) {
	w = termtext.Writer(w)
	rp := res.Plan
	site := rp.Settings.Primary()
	if rp.Restore {
		fmt.Fprint(w, "\n"+i18n.T("%s is no longer managed by httpsify: its files are as they were before httpsify, and it answers plain HTTP.", site)+"\n")
		if res.BackupDir != "" {
			fmt.Fprint(w, i18n.T("  the HTTPS versions of the files: %s\n", res.BackupDir))
		}
	} else {
		fmt.Fprint(w, "\n"+i18n.T("%s is no longer managed by httpsify; its config and certificate are left as they are, and httpsify will NOT renew the certificate.", site)+"\n")
		for _, c := range res.Checks {
			mark := "✓"
			if !c.OK {
				mark = "!"
			}
			fmt.Fprintf(w, "  %s %s\n", mark, c.Line())
		}
	}
	fmt.Fprint(w, "  "+i18n.T("renewal: %s", i18n.Tr(res.Schedule))+"\n")
}
