package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

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
	fmt.Fprintf(p.w, "%s %-8s %s\n", mark, e.Phase, indentRest(termtext.Clean(e.Message)))
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
	fmt.Fprintf(p.w, "\n%s is live (%.1fs).\n", s.SiteURL(), took.Seconds())
	if s.Uploaded() {
		fmt.Fprintf(p.w, "  certificate: %s (yours, from %s; it does not renew itself: before %s, run apply --%s with the new files again)\n", s.CertDir, s.CertFile, r.Issued.Leaf.NotAfter.Format("2006-01-02"), provision.FlagCertFile)
	} else {
		fmt.Fprintf(p.w, "  certificate: %s (renew after %s)\n", s.CertDir, r.RenewAt.Format("2006-01-02"))
	}
	if r.Schedule != "" {
		fmt.Fprintf(p.w, "  renewal: %s\n", r.Schedule)
	}
	if ct := r.Plan.Certbot; ct != nil {
		switch {
		case ct.HandOver:
			fmt.Fprintf(p.w, "  certbot: no longer renews %s (its renewal conf is renamed %s.conf%s; httpsify rollback restores it)\n", ct.Lineage, ct.Lineage, certbotDisabledSuffix)
		case ct.RenewalOn:
			fmt.Fprintf(p.w, "  certbot: still renews %s until httpsify has renewed it once; then certbot's renewal of it is switched off\n", ct.Lineage)
		}
	}
	if len(r.Changed) > 0 {
		fmt.Fprintf(p.w, "  changed: %s\n", strings.Join(r.Changed, ", "))
	}
	if r.BackupDir != "" {
		fmt.Fprintf(p.w, "  backups of the originals: %s\n", r.BackupDir)
		fmt.Fprintln(p.w, "  to roll back by hand:")
		for _, c := range r.RollbackCommands() {
			fmt.Fprintf(p.w, "    %s\n", c)
		}
	}
}

// certbotDisabledSuffix is what an adopted lineage's renewal conf is renamed with.
const certbotDisabledSuffix = certbot.DisabledSuffix
