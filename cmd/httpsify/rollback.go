package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/statedir"
	"github.com/httpsify/httpsify/provision/termtext"
	"github.com/httpsify/httpsify/provision/trustdir"
	"github.com/httpsify/httpsify/provision/validate"
)

func newRollbackCmd(code *int) *cobra.Command {
	var (
		o  provision.Options
		rf runFlags
		f  rollbackFlags
	)
	c := &cobra.Command{
		Use:   "rollback [--domain NAME] [--yes]",
		Short: i18n.T("take a site's last change back: the previous certificate and site files"),
		Long: i18n.T(`rollback takes back the last change httpsify made to a site: the certificate
link goes back to the previous certificate version and every file that change
wrote is restored from its backup, as one transaction; then nginx -t, a reload,
and a check that the site serves the restored certificate. On any failure
everything is put back as it was and nginx is reloaded. A file edited since
that change is never overwritten: the rollback is refused. A rollback is a
change too: running it again takes it back.

Exit status: 0 when the site was verified to serve the restored certificate;
2 on bad input or when there is nothing to roll back to (nothing is changed);
1 on any other failure, after restoring what was there.`),
		Example: `  sudo httpsify rollback --domain www.example.com`,
		Args:    noArgs,
		RunE: func(*cobra.Command, []string) error {
			*code = runRollback(o, rf, f)
			return nil
		},
	}
	hostFlags(c.Flags(), &o)
	f.register(c.Flags())
	rf.register(c.Flags())
	return c
}

func runRollback(o provision.Options, rf runFlags, f rollbackFlags) int {
	out := newPrinter(os.Stderr, rf.verbose)
	h, err := o.ValidateHost()
	if err != nil {
		return out.fail(err)
	}
	// Refuse an untrusted state dir before reading anything from it.
	if err := trustdir.Check(h.StateDir); err != nil {
		return out.fail(&provision.FieldError{Field: provision.FlagStateDir, Err: err})
	}
	site, err := rollbackSite(h.StateDir, f.domain)
	if err != nil {
		return failRefused(out, err)
	}
	if !f.yes && !stdinIsTerminal() {
		return out.fail(&provision.FieldError{Field: provision.FlagYes, Err: i18n.Errorf("required when httpsify is not run from a terminal")})
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	sess, err := provision.Open(ctx, webServer(), h, out.sink, rf.wait)
	if err != nil {
		return out.fail(err)
	}
	defer sess.Close()
	sess.Action = provision.RunRollback
	rp, err := sess.PlanRollback(site)
	if err != nil {
		return failRefused(out, err)
	}
	if !f.yes {
		fmt.Fprint(os.Stderr, i18n.T("Roll %s back to the certificate valid until %s, restoring:\n", site, rp.Issued.Leaf.NotAfter.Format("2006-01-02")))
		for _, u := range rp.Undo {
			fmt.Fprintf(os.Stderr, "  %s\n", termtext.Line(u.Path))
		}
		if !askYesNo(i18n.T("Roll back?")) {
			fmt.Fprintln(os.Stderr, i18n.T("Nothing changed."))
			return 1
		}
	}
	start := time.Now()
	res, err := sess.Rollback(ctx, rp)
	if err != nil {
		return out.fail(err)
	}
	out.summary(res, time.Since(start))
	return 0
}

// rollbackSite is the site named, or the only one managed.
func rollbackSite(stateDir, domain string) (string, error) {
	if domain != "" {
		names, err := validate.Domains([]string{domain}, true)
		if err != nil {
			return "", &provision.FieldError{Field: provision.FlagDomain, Err: err}
		}
		// Any of the site's names will do (its primary is stored).
		if primary, err := provision.SiteNamed(statedir.Layout(stateDir), names[0]); err != nil || primary != "" {
			return primary, err
		}
		return names[0], nil
	}
	sites, err := provision.StoredSites(statedir.Layout(stateDir))
	if err != nil {
		return "", err
	}
	switch len(sites) {
	case 1:
		return sites[0], nil
	case 0:
		return "", &provision.NothingToRollBackError{Site: stateDir, Why: i18n.N("httpsify manages no site there")}
	}
	return "", &provision.FieldError{Field: provision.FlagDomain, Err: i18n.Errorf("httpsify manages %d sites here: name one", len(sites))}
}
