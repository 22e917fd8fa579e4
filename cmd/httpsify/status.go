package main

import (
	"github.com/charmbracelet/x/ansi"

	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/spf13/cobra"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/statedir"
	"github.com/httpsify/httpsify/provision/termtext"
	"github.com/httpsify/httpsify/provision/trustdir"
)

func newStatusCmd(code *int) *cobra.Command {
	var f statusFlags
	c := &cobra.Command{
		Use:   "status [--json] [--domain NAME]",
		Short: i18n.T("show every managed site: certificate, next renewal, last run, warnings"),
		Long: i18n.T(`status shows each site httpsify manages: its names, where its certificate comes
from, when it expires and is next renewed, its config file, the last run on it
and its result, and anything that needs attention: renewal failing, expiry
within 14 days, a certificate httpsify cannot renew itself, certificate files
missing or not linked as httpsify left them. It reads the state dir only: no
network, no lock, nothing written.

Exit status: 0 when no site needs attention; 1 when one does (for monitoring);
2 on bad input (an unknown --domain, a state dir httpsify would not trust).`),
		Example: `  sudo httpsify status
  sudo httpsify status --json --domain www.example.com`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			*code = runStatus(f, c.OutOrStdout(), c.ErrOrStderr(), time.Now())
			return nil
		},
	}
	f.register(c.Flags())
	return c
}

// statusReport is status --json's document.
type statusReport struct {
	Sites     []provision.SiteStatus `json:"sites"`
	Attention bool                   `json:"attention"`
}

func runStatus(f statusFlags, stdout, stderr io.Writer, now time.Time) int {
	fail := func(code int, err error) int {
		fmt.Fprintf(stderr, "httpsify: %s\n", termtext.Clean(err.Error()))
		return code
	}
	h, err := provision.Options{StateDir: f.stateDir}.ValidateHost()
	if err != nil {
		return fail(2, err)
	}
	// The same trust as a run that writes (Open): a state dir someone
	// else could have planted is not read.
	if err := trustdir.Check(h.StateDir); err != nil {
		return fail(2, fmt.Errorf("--%s: %w", provision.FlagStateDir, err))
	}
	sites, err := provision.Statuses(statedir.Layout(h.StateDir), f.domain, now)
	var nm *provision.NotManagedError
	if errors.As(err, &nm) {
		return fail(2, fmt.Errorf("--%s: %w", provision.FlagDomain, err))
	}
	if err != nil {
		return fail(1, err)
	}
	rep := statusReport{Sites: sites}
	for i := range sites {
		rep.Attention = rep.Attention || sites[i].Attention
		roundTimes(&sites[i])
	}
	if f.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fail(1, err)
		}
	} else {
		printStatusTable(termtext.Writer(stdout), h.StateDir, sites)
	}
	if rep.Attention {
		return 1
	}
	return 0
}

// roundTimes drops sub-second parts: RFC 3339 to the second.
func roundTimes(s *provision.SiteStatus) {
	for _, t := range []*time.Time{s.NotAfter, s.NextRenewal} {
		if t != nil {
			*t = t.Truncate(time.Second)
		}
	}
	if s.LastRun != nil {
		s.LastRun.Time = s.LastRun.Time.Truncate(time.Second)
	}
}

// printStatusTable prints one row a site (72 columns), then its details
// and warnings indented below it. Everything from disk is cleaned.
func printStatusTable(w io.Writer, stateDir string, sites []provision.SiteStatus) {
	if len(sites) == 0 {
		fmt.Fprint(w, i18n.T("No sites managed in %s.\n", termtext.Line(stateDir)))
		return
	}
	pad := i18n.PadRight
	fmt.Fprintf(w, "  %s %s %s %s %s\n", pad(i18n.T("SITE"), 26), pad(i18n.T("EXPIRES"), 10), pad(i18n.T("RENEWS"), 10), pad(i18n.T("LAST RUN"), 16), i18n.T("RESULT"))
	for _, s := range sites {
		mark := " "
		if s.Attention {
			mark = "!"
		}
		expires, renews := "-", "-"
		if s.NotAfter != nil {
			expires = s.NotAfter.Format("2006-01-02")
		}
		if s.NextRenewal != nil {
			renews = s.NextRenewal.Format("2006-01-02")
			if s.RenewalDue {
				renews = i18n.T("due now")
			}
		}
		last, result := i18n.T("never"), "-"
		if r := s.LastRun; r != nil {
			last = r.Time.Local().Format("2006-01-02") + " " + string(r.Action)
			result = map[bool]string{true: i18n.T("ok"), false: i18n.T("failed")}[r.OK]
		}
		fmt.Fprintf(w, "%s %s %s %s %s %s\n", mark, pad(fit(termtext.Line(s.Name), 26), 26), pad(expires, 10), pad(renews, 10), pad(ansi.Truncate(last, 16, ""), 16), result)
		if len(s.Names) > 1 {
			fmt.Fprint(w, i18n.T("    names: %s\n", termtext.Line(joinNames(s.Names))))
		}
		fmt.Fprintf(w, "    %s\n", termtext.Line(sourceLine(s)))
		if s.Source == provision.CertSourceCertbot {
			fmt.Fprint(w, i18n.T("    certbot's own renewal of it: %s\n", i18n.Tr(certbotRenewalWords[s.CertbotRenewal])))
		}
		if s.ConfigFile != "" {
			fmt.Fprint(w, i18n.T("    config: %s\n", termtext.Line(s.ConfigFile)))
		}
		for _, warn := range s.Warnings {
			fmt.Fprintf(w, "    ! %s\n", termtext.Line(warn.Message))
		}
	}
}

func sourceLine(s provision.SiteStatus) string {
	if s.Source == provision.CertSourceUploaded {
		return i18n.T("certificate: uploaded, at %s", s.CertDir)
	}
	ca := s.CA
	if u, err := url.Parse(s.CA); err == nil && u.Host != "" {
		ca = u.Host
	}
	if s.Source == provision.CertSourceCertbot {
		return i18n.T("certificate: certbot lineage %s (adopted), renewed by httpsify from %s (%s), at %s", s.CertbotLineage, ca, s.Challenge, s.CertDir)
	}
	return i18n.T("certificate: %s (%s), at %s", ca, s.Challenge, s.CertDir)
}

func joinNames(names []string) string {
	out := names[0]
	for _, n := range names[1:] {
		out += ", " + n
	}
	return out
}

// fit shortens s to n columns, marking the cut.
func fit(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// certbotRenewalWords say what SiteStatus.CertbotRenewal means.
var certbotRenewalWords = map[string]string{
	provision.CertbotRenewalOn:      i18n.N("still on (switched off after httpsify's first renewal)"),
	provision.CertbotRenewalOff:     i18n.N("off (httpsify renews it; httpsify rollback of that renewal turns certbot's back on)"),
	provision.CertbotRenewalUnknown: i18n.N("unknown (certbot's directory cannot be read)"),
}
