package steps

import (
	"cmp"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/assets/dnsproviders"
	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/ui"
)

// certificateDNS is the certificate step's DNS-01 part: after the form,
// the provider picker, then that provider's credentials form (with
// "check credentials": the provider built and the zone found, no order),
// or nothing more for manual DNS.
type certificateDNS struct {
	picker *ui.ProviderPicker
	cred   *ui.CredentialsForm
	size   ui.SizeMsg

	plain bool // line prompts: DNS-01 through a provider only (no manual DNS)

	code   string            // the provider chosen
	values map[string]string // its credentials as typed; never shown again in full
}

func (d *certificateDNS) active() bool { return d.picker != nil || d.cred != nil }

// pickProvider shows the picker, on the provider chosen before.
func (c *Certificate) pickProvider() tea.Cmd {
	st := c.st
	c.dns.cred = nil
	c.dns.picker = ui.NewProviderPicker(st.Theme, st.Keys, cmp.Or(c.dns.code, st.Opts.DNSProvider))
	return tea.Batch(c.dns.picker.Init(), c.dns.picker.Update(c.dns.size))
}

// askCredentials shows code's credentials form, pre-filled with what was
// typed for it before, else with what the site was deployed with.
func (c *Certificate) askCredentials(code string) tea.Cmd {
	st := c.st
	p, ok := dnsproviders.ByCode(code)
	if !ok {
		return c.pickProvider()
	}
	var existing map[string]string
	if code == c.dns.code {
		existing = c.dns.values
	}
	if existing == nil {
		// A rerun: the site's stored credentials, masked, to edit.
		existing = provision.StoredDNSCredentials(st.Base.StateDir, st.Opts.Domains, code)
	}
	c.dns.picker = nil
	c.dns.code = code
	c.dns.cred = ui.NewCredentialsForm(st.Theme, st.Keys, p, existing)
	resolvers, domains := append([]string(nil), st.Opts.DNSResolvers...), append([]string(nil), st.Opts.Domains...)
	c.dns.cred.Check = func(values map[string]string) error {
		return provision.CheckDNSCredentials(code, values, resolvers, domains)
	}
	return tea.Batch(c.dns.cred.Init(), c.dns.cred.Update(c.dns.size))
}

func (c *Certificate) updateDNS(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ui.ProviderPickedMsg:
		if msg.Code == ui.ManualDNS {
			c.dns.picker, c.dns.code, c.dns.values = nil, ui.ManualDNS, nil
			return c.submit()
		}
		return c.askCredentials(msg.Code)
	case ui.ProviderBackMsg:
		c.dns.picker = nil // back to the form
		return nil
	case ui.CredentialsMsg:
		c.dns.cred, c.dns.code, c.dns.values = nil, msg.Code, msg.Values
		return c.submit()
	case ui.CredentialsBackMsg:
		return c.pickProvider()
	}
	if c.dns.cred != nil {
		return c.dns.cred.Update(msg)
	}
	return c.dns.picker.Update(msg)
}

// setDNSOptions puts the DNS-01 answers into o (the credentials as the
// provider's variables, the way apply takes them from the environment),
// or clears them for HTTP-01.
func (c *Certificate) setDNSOptions(o *provision.Options) {
	if o.Challenge != "dns-01" {
		// Provider and credentials only go with DNS-01; the resolvers
		// (flags) stay for a change of mind.
		o.DNSProvider, o.DNSCredentialsFile, o.DNSEnviron, o.DNSAsk = "", "", nil, nil
		return
	}
	o.DNSProvider, o.DNSAsk = c.dns.code, nil
	if c.dns.code == ui.ManualDNS {
		o.DNSAsk = c.st.askTXT // the issue step's TXT panel
	} else {
		o.DNSCredentialsFile, o.DNSEnviron = "", provision.DNSEnviron(c.dns.values)
	}
}

func (c *Certificate) challengeSummary() string {
	if c.st.Opts.Challenge != "dns-01" {
		return "HTTP-01"
	}
	if c.dns.code == ui.ManualDNS {
		return "DNS-01 · " + i18n.Tr(ui.ManualLabel)
	}
	if p, ok := dnsproviders.ByCode(c.dns.code); ok {
		return "DNS-01 · " + p.Name
	}
	return "DNS-01 · " + c.dns.code
}

func (d *certificateDNS) keys() []key.Binding {
	switch {
	case d.cred != nil:
		return d.cred.Keys()
	case d.picker != nil:
		return d.picker.Keys()
	}
	return nil
}

func (d *certificateDNS) view(w, h int) (string, bool) {
	switch {
	case d.cred != nil:
		return d.cred.View(w, h), true
	case d.picker != nil:
		return d.picker.View(w, h), true
	}
	return "", false
}

// option is DNS-01's entry in the challenge choice.
func (d *certificateDNS) option() ui.Option {
	if d.plain {
		return ui.Option{Label: i18n.N("DNS-01: a TXT record your DNS provider's API adds (no port 80 needed; the only way for *.example.com)"), Value: "dns-01", Short: "DNS-01"}
	}
	return ui.Option{Label: i18n.N("DNS-01: a TXT record in your DNS (no port 80 needed; the only way for *.example.com)"), Value: "dns-01", Short: "DNS-01"}
}

// wildcardAware: names with a wildcard can only be proven by DNS-01, so
// the certificate step starts on it (o is changed), and the site is
// checked as DNS-01 would plan it, with manual DNS standing in for the
// provider the next step asks for (the returned copy only).
func (st *State) wildcardAware(o *provision.Options) provision.Options {
	if !slices.ContainsFunc(o.Domains, func(n string) bool { return strings.HasPrefix(n, "*.") }) {
		return *o
	}
	o.Challenge = "dns-01"
	v := *o
	v.DNSProvider, v.DNSCredentialsFile, v.DNSEnviron, v.DNSAsk = ui.ManualDNS, "", nil, st.askTXT
	return v
}
