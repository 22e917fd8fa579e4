package provision

import (
	"fmt"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Describe renders the plan as plain text: what --dry-run prints and what
// the wizard's confirm step lists. Full file contents are included when
// full is set.
func (p *Plan) Describe(full bool) string {
	s, d := p.Settings, p.Detection
	var b strings.Builder
	fmt.Fprint(&b, i18n.T("Plan for %s\n", strings.Join(s.Domains, ", ")))
	fmt.Fprint(&b, i18n.T("  %s %s, config %s (%s)\n", d.Name, d.Version, d.Conf, map[bool]string{true: i18n.T("running"), false: i18n.T("not running")}[d.Running]))
	if p.Upstream != "" {
		fmt.Fprint(&b, i18n.T("  app: %s\n", p.Upstream))
	}
	switch {
	case p.Certbot != nil && p.Certbot.Adopt:
		fmt.Fprint(&b, i18n.T("  certificate: certbot's, from %s (checked: key, chain, dates, names); httpsify renews it when it is due\n", p.Certbot.Fullchain))
	case p.Upload != nil:
		fmt.Fprint(&b, i18n.T("  certificate: yours, from %s (checked: key, chain, dates, names); it does not renew itself\n", s.CertFile))
	case !p.Issue:
		b.WriteString(i18n.T("  certificate: keep the installed one (valid, covers every name)\n"))
	case s.Challenge == "dns-01":
		fmt.Fprint(&b, i18n.T("  certificate: new from %s, DNS-01: %s, checked on every authoritative server; nginx is not touched for it\n", s.CADirectory, s.dnsHow()))
	case isStandalone(p.Challenge):
		fmt.Fprint(&b, i18n.T("  certificate: new from %s, HTTP-01 answered by httpsify itself on port %d (nothing listens there)\n", s.CADirectory, s.HTTPPort))
	default:
		fmt.Fprint(&b, i18n.T("  certificate: new from %s, HTTP-01 answered by nginx from %s\n", s.CADirectory, p.Webroot))
	}
	fmt.Fprint(&b, i18n.T("  certificate files: %s/{fullchain,privkey,chain,cert}.pem (privkey 0600), a link to a version under %s\n", s.CertDir, p.ArchiveDir))
	if note := p.CertbotNote(); note != "" {
		fmt.Fprint(&b, i18n.T("  certbot: %s\n", note))
	}
	for _, w := range p.Warnings {
		fmt.Fprint(&b, i18n.T("  warning: %s\n", w))
	}
	if prep := p.ChallengeEdits(); len(prep) > 0 {
		b.WriteString(i18n.T("\nFirst, while the CA checks (temporary: taken out again whatever happens, then nginx reloaded):\n"))
		describeChanges(&b, prep, full)
	}
	b.WriteString(i18n.T("\nFiles to write (each backed up first under %s/):\n", s.Layout().Backups()))
	describeChanges(&b, p.Files, full)
	b.WriteString(i18n.T("\nCommands:\n"))
	for _, c := range p.Commands() {
		fmt.Fprintf(&b, "  %s\n", strings.Join(c, " "))
	}
	return b.String()
}

func describeChanges(b *strings.Builder, list []FileChange, full bool) {
	for _, c := range list {
		verb := i18n.T("create")
		switch {
		case c.Symlink != "":
			fmt.Fprintf(b, "  %s %s -> %s\n", padVerb(i18n.T("link")), c.Path, c.Symlink)
			continue
		case c.Remove:
			fmt.Fprintf(b, "  %s %s (%s)\n", padVerb(i18n.T("remove")), c.Path, c.Why)
			continue
		case c.Existed:
			verb = i18n.T("update")
		}
		fmt.Fprintf(b, "  %s %s (%s)\n", padVerb(verb), c.Path, c.Why)
		if full {
			fmt.Fprintf(b, "  ---- %s ----\n", c.Path)
			for _, l := range strings.Split(strings.TrimRight(string(c.Content), "\n"), "\n") {
				fmt.Fprintf(b, "  | %s\n", l)
			}
			b.WriteString("  ----\n")
		}
	}
}

func isStandalone(ch Challenge) bool {
	_, ok := ch.(HTTP01Standalone)
	return ok
}

// padVerb pads a change's verb to the widest English one ("remove") in
// display cells, so the paths line up in Chinese too.
func padVerb(v string) string { return i18n.PadRight(v, 6) }
