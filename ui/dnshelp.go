package ui

import "github.com/httpsify/httpsify/assets/i18n"

// Help texts of the DNS-01 components, for the help screen of the step
// that shows them (the Helper interface).

// Help explains the provider list.
func (p *ProviderPicker) Help() string {
	return i18n.T("Pick the company that serves your domain's DNS (where its records are edited), which is not always where you bought the domain. " +
		"httpsify asks it, through its API, to publish the TXT record the CA checks: that works behind NAT and with port 80 closed, and is the only way to a wildcard certificate. " +
		"Type to filter; Esc clears the filter, then goes back. If your provider is missing, the manual entry at the end shows the records to create yourself.")
}

// Help explains the credentials form.
func (c *CredentialsForm) Help() string {
	h := i18n.T("These are the environment variables lego reads for %s. It lists alternatives side by side, so fill in the ones for the way you sign in and leave the others empty. "+
		"Secret values show as dots with their length; %s shows the focused one until you leave it. "+
		"%s shows the optional settings (timeouts, TTL, region).", c.p.Name, c.dkeys.Reveal.Help().Key, c.dkeys.MoreOptions.Help().Key)
	if c.Check != nil {
		h += " " + i18n.T("%s tries the credentials before anything is ordered.", c.dkeys.CheckCreds.Help().Key)
	}
	return h + " " + i18n.T("Full details: %s", c.p.DocsURL())
}

// Help explains manual records.
func (p *TXTPanel) Help() string {
	return i18n.T("The CA checks that you control the domain by looking up these TXT records. Create each one in your DNS provider's panel, then press Enter: "+
		"httpsify asks the domain's authoritative servers until every one of them answers with each value, then continues. ←/→ pan a line too wide for the screen.") + " " +
		i18n.Tr(ManualRenewalNote)
}
