package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/certbot"
	"github.com/httpsify/httpsify/provision/termtext"
)

// printer shows engine events as one line each on stderr. Everything it
// prints goes through termtext: events and errors carry outside text.
type printer struct {
	w       io.Writer
	verbose bool
}

func newPrinter(w io.Writer, verbose bool) *printer { return &printer{w: w, verbose: verbose} }

func (p *printer) sink(e provision.Event) {
	mark := map[provision.Kind]string{
		provision.KindStart: "…", provision.KindOK: "✓",
		provision.KindWarn: "!", provision.KindFail: "✗", provision.KindLog: "·",
	}[e.Kind]
	if e.Kind == provision.KindLog && !p.verbose {
		return
	}
	fmt.Fprintf(p.w, "%s %s %s\n", mark, i18n.PadRight(phaseName(e.Phase), 8), indentRest(termtext.Clean(e.Message)))
}

// phaseName is a phase as the progress lines show it.
func phaseName(p provision.Phase) string {
	names := map[provision.Phase]string{
		provision.PhaseDetect: i18n.N("detect"), provision.PhasePlan: i18n.N("plan"),
		provision.PhasePrepare: i18n.N("prepare"), provision.PhaseIssue: i18n.N("issue"),
		provision.PhaseInstall: i18n.N("install"), provision.PhaseWrite: i18n.N("write"),
		provision.PhaseCheck: i18n.N("check"), provision.PhaseReload: i18n.N("reload"),
		provision.PhaseVerify: i18n.N("verify"), provision.PhaseRollback: i18n.N("rollback"),
	}
	if n, ok := names[p]; ok {
		return i18n.Tr(n)
	}
	return string(p)
}

func indentRest(s string) string { return strings.ReplaceAll(s, "\n", "\n           ") }

// fail prints the error; bad input exits 2, everything else 1.
func (p *printer) fail(err error) int {
	fmt.Fprintf(p.w, "httpsify: %s\n", termtext.Clean(err.Error()))
	var fe *provision.FieldError
	if errors.As(err, &fe) {
		return 2
	}
	return 1
}

func (p *printer) summary(r *provision.Result, took time.Duration) {
	w := p.w
	p.w = termtext.Writer(w)
	defer func() { p.w = w }()
	s := r.Plan.Settings
	fmt.Fprint(p.w, i18n.T("\n%s is live (%.1fs).\n", s.SiteURL(), took.Seconds()))
	if s.Uploaded() {
		fmt.Fprint(p.w, i18n.T("  certificate: %s (yours, from %s; it does not renew itself: before %s, run apply --%s with the new files again)\n", s.CertDir, s.CertFile, r.Issued.Leaf.NotAfter.Format("2006-01-02"), provision.FlagCertFile))
	} else {
		fmt.Fprint(p.w, i18n.T("  certificate: %s (renew after %s)\n", s.CertDir, r.RenewAt.Format("2006-01-02")))
	}
	if r.Schedule != "" {
		fmt.Fprint(p.w, i18n.T("  renewal: %s\n", r.Schedule))
	}
	if ct := r.Plan.Certbot; ct != nil {
		switch {
		case ct.HandOver:
			fmt.Fprint(p.w, i18n.T("  certbot: no longer renews %s (its renewal conf is renamed %s.conf%s; httpsify rollback restores it)\n", ct.Lineage, ct.Lineage, certbotDisabledSuffix))
		case ct.RenewalOn:
			fmt.Fprint(p.w, i18n.T("  certbot: still renews %s until httpsify has renewed it once; then certbot's renewal of it is switched off\n", ct.Lineage))
		}
	}
	if len(r.Changed) > 0 {
		fmt.Fprint(p.w, i18n.T("  changed: %s\n", strings.Join(r.Changed, ", ")))
	}
	if r.BackupDir != "" {
		fmt.Fprint(p.w, i18n.T("  backups of the originals: %s\n", r.BackupDir))
		fmt.Fprintln(p.w, i18n.T("  to roll back by hand:"))
		for _, c := range r.RollbackCommands() {
			fmt.Fprintf(p.w, "    %s\n", c)
		}
	}
}

// certbotDisabledSuffix is what an adopted lineage's renewal conf is renamed with.
const certbotDisabledSuffix = certbot.DisabledSuffix
