package provision

import (
	"cmp"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/certbot"
)

// SourceCertbot marks a certificate adopted from a certbot lineage: it
// was certbot's, httpsify renews it from now on, and certbot's own
// renewal of the lineage stays on until httpsify has renewed it once.
const SourceCertbot = "certbot"

// FromCertbot reports whether the site's certificate came from certbot.
func (r *Request) FromCertbot() bool { return r.CertSource == SourceCertbot }

// validateCertbot checks certbot's config dir (default /etc/letsencrypt)
// and, from a stored request, the adopted lineage's name.
func (o Options) validateCertbot(s *Settings) error {
	var err error
	if s.CertbotDir, err = absPath(FlagCertbotDir, cmp.Or(o.CertbotDir, certbot.DefaultDir)); err != nil {
		return err
	}
	if o.CertbotLineage == "" {
		return nil
	}
	if s.Uploaded() {
		return fieldErr(FlagCertbotDir, i18n.Errorf("a certbot lineage and your own certificate files cannot both be the source"))
	}
	if err := certbot.CheckName(o.CertbotLineage); err != nil {
		return fieldErr(FlagCertbotDir, err)
	}
	s.CertbotLineage, s.CertSource = o.CertbotLineage, SourceCertbot
	return nil
}
