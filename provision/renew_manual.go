package provision

import (
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/dnschallenge"
)

// ErrManualDNSRenewal: the site's certificate was proven with TXT records
// added by hand; an unattended renewal has nobody to add the new ones.
var ErrManualDNSRenewal = i18n.NewError("manual DNS cannot renew unattended: each renewal needs new TXT records added by hand")

// manualDNSRenewal is why a stored manual DNS-01 site cannot be renewed
// by `httpsify renew`, with the two ways forward; nil for any other site.
func manualDNSRenewal(s *Settings) error {
	if s.Challenge != "dns-01" || s.DNSProvider != dnschallenge.ManualCode {
		return nil
	}
	var domains []string
	for _, d := range s.Domains {
		domains = append(domains, "--"+FlagDomain+" '"+d+"'")
	}
	return i18n.Errorf("%w; renew it from a terminal with httpsify apply %s --%s dns-01 --%s %s, or switch to a DNS provider with an API (httpsify dns-providers) so that it renews by itself",
		ErrManualDNSRenewal, strings.Join(domains, " "), FlagChallenge, FlagDNSProvider, dnschallenge.ManualCode)
}
