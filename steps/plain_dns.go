package steps

import (
	"cmp"
	"fmt"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/ui"
)

// askDNS is the line prompts' DNS-01 part, after the certificate form:
// the provider (by name or code), then its credentials form, each with
// the full-screen wizard's own accessible questions. Manual DNS is not
// offered here: its TXT records are shown by the full-screen issue step.
func (r *plain) askDNS(c *Certificate) error {
	if c.method.Value() != "dns-01" {
		return nil
	}
	st := r.st
	for {
		p := ui.NewProviderPicker(st.Theme, st.Keys, cmp.Or(c.dns.code, st.Opts.DNSProvider))
		if err := r.ask(p.Fields()...); err != nil {
			return err
		}
		code, ok := p.Chosen()
		if !ok {
			continue
		}
		if code == ui.ManualDNS {
			fmt.Fprintln(r.out, ui.Hang(ui.MarkFail+" ", i18n.T("Manual DNS is not offered in line prompts: pick a provider with an API, or use the full-screen wizard (or httpsify apply --dns-provider manual) from a terminal."), plainWidth))
			continue
		}
		c.askCredentials(code) // the form as the full-screen step builds it: stored values, Check
		form := c.dns.cred
		c.dns.cred = nil
		if err := form.Ask(r.in, r.out); err != nil {
			return err
		}
		c.dns.code, c.dns.values = code, form.Values()
		return nil
	}
}
