package provision

import (
	"github.com/httpsify/httpsify/provision/statedir"
	"github.com/httpsify/httpsify/provision/validate"
)

// StoredDNSCredentials are the credentials the site named by domains (as
// typed) was last deployed with, when it used DNS provider code: read back
// from their 0600 copy in the state dir, for the wizard to pre-fill its
// credentials form on a rerun. nil when there is no such site, it used
// another challenge or provider, or the copy cannot be read safely. The
// values go to the form only: never to logs, events or errors.
func StoredDNSCredentials(stateDir string, domains []string, code string) map[string]string {
	names, err := validate.Domains(domains, true)
	if err != nil || len(names) == 0 {
		return nil
	}
	if names, err = concreteFirst(names); err != nil {
		return nil
	}
	// LoadRequest reads the credentials file as a run would (0600, ours).
	r, err := LoadRequest(statedir.Layout(stateDir), names[0])
	if err != nil || r.Challenge != "dns-01" || r.DNSProvider != code || r.DNSCredentials == nil {
		return nil
	}
	return r.DNSCredentials.FormValues()
}
