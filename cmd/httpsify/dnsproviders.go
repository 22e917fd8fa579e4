package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/httpsify/httpsify/assets/dnsproviders"
	"github.com/httpsify/httpsify/assets/i18n"
)

// lineWidth is what the listings fit: an SSH terminal's default.
const lineWidth = 80

// runDNSProviders lists the DNS providers DNS-01 can use, or shows one
// provider's variables: `httpsify dns-providers [CODE]`.
func runDNSProviders(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		listDNSProviders(stdout)
		return 0
	case len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help"):
		fmt.Fprintln(stdout, dnsProvidersUsage)
		return 0
	case len(args) == 1 && !strings.HasPrefix(args[0], "-"):
		p, ok := dnsproviders.ByCode(args[0])
		if !ok {
			// %q: what was typed goes back to the terminal escaped.
			fmt.Fprint(stderr, i18n.T("httpsify: unknown DNS provider %q\n", args[0]))
			if s := dnsproviders.Suggest(args[0], 3); len(s) > 0 {
				fmt.Fprint(stderr, i18n.T("Did you mean: %s?\n", strings.Join(s, ", ")))
			}
			fmt.Fprintln(stderr, i18n.T("Run 'httpsify dns-providers' for the list."))
			return 2
		}
		showDNSProvider(stdout, p)
		return 0
	}
	fmt.Fprintln(stderr, dnsProvidersUsage)
	return 2
}

const dnsProvidersUsage = `Usage:
  httpsify dns-providers        list the DNS providers (code, name), common ones first
  httpsify dns-providers CODE   show one provider's credential and option variables`

// listDNSProviders prints one provider a line, code then name: the
// featured ones first, a blank line, then the rest by code.
func listDNSProviders(w io.Writer) {
	all := dnsproviders.Ordered()
	nFeatured := len(dnsproviders.Featured())
	codeWidth := 0
	for _, p := range all {
		codeWidth = max(codeWidth, len(p.Code))
	}
	for i, p := range all {
		if i == nFeatured && i > 0 {
			fmt.Fprintln(w)
		}
		name := ansi.Truncate(p.Name, lineWidth-codeWidth-2, "…")
		fmt.Fprintf(w, "%-*s  %s\n", codeWidth, p.Code, name)
	}
	fmt.Fprint(w, i18n.T("\n%d providers, from lego %s. Details: httpsify dns-providers CODE\n", len(all), dnsproviders.LegoVersion()))
}

// showDNSProvider prints a provider's name, links and variables, each
// description wrapped under its variable.
func showDNSProvider(w io.Writer, p dnsproviders.Provider) {
	fmt.Fprintf(w, "%s (%s)\n", p.Name, p.Code)
	if p.URL != "" {
		fmt.Fprintf(w, "  %s\n", p.URL)
	}
	if len(p.Aliases) > 0 {
		fmt.Fprint(w, i18n.T("  Also accepted as: %s\n", strings.Join(p.Aliases, ", ")))
	}
	fmt.Fprint(w, i18n.T("  Documentation: %s\n", p.DocsURL()))
	if p.Description != "" {
		fmt.Fprintln(w)
		for _, para := range strings.Split(p.Description, "\n") {
			writeWrapped(w, "  ", para)
		}
	}
	section := func(title string, vars []dnsproviders.Variable) {
		fmt.Fprintf(w, "\n%s:\n", title)
		if len(vars) == 0 {
			fmt.Fprintln(w, i18n.T("  (none)"))
		}
		for _, v := range vars {
			fmt.Fprintf(w, "  %s\n", v.Name)
			writeWrapped(w, "      ", v.Description)
		}
	}
	// lego lists alternatives side by side (a token, or a key and email).
	section(i18n.T("Credentials (lego lists alternatives together: not all are needed)"), p.Credentials)
	section(i18n.T("Options"), p.Options)
	if len(p.Notes) > 0 {
		fmt.Fprintln(w, "\n"+i18n.T("Notes:"))
		for _, n := range p.Notes {
			writeWrapped(w, "  ", n)
		}
	}
}

// writeWrapped writes text word-wrapped to lineWidth, every line behind
// indent. Words are split at spaces only: a URL longer than a line stays
// whole, so it can still be copied.
func writeWrapped(w io.Writer, indent, text string) {
	if strings.TrimSpace(text) == "" {
		fmt.Fprintln(w) // a paragraph break, without trailing spaces
		return
	}
	line := indent
	for _, word := range strings.Fields(text) {
		if line != indent && ansi.StringWidth(line)+1+ansi.StringWidth(word) > lineWidth {
			fmt.Fprintln(w, line)
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += word
	}
	fmt.Fprintln(w, line)
}

// dnsProviderCodes are the codes for shell completion.
func dnsProviderCodes() []string {
	var out []string
	for _, p := range dnsproviders.Ordered() {
		out = append(out, p.Code)
	}
	return out
}
