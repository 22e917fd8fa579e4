package provision

import "github.com/httpsify/httpsify/provision/certbot"

// CertSourceCertbot: a certificate adopted from a certbot lineage, which
// httpsify renews.
const CertSourceCertbot = SourceCertbot

// Values of SiteStatus.CertbotRenewal.
const (
	CertbotRenewalOn      = "on"
	CertbotRenewalOff     = "off"
	CertbotRenewalUnknown = "unknown"
)

// certbotStatus fills in the adopted lineage and whether certbot renew
// still picks it (read, with the certbot directory's trust checks).
func certbotStatus(st *SiteStatus, req *Request) {
	st.Source, st.CertbotLineage, st.CertbotRenewal = CertSourceCertbot, req.CertbotLineage, CertbotRenewalUnknown
	dir, err := certbot.Open(req.CertbotDir)
	if err != nil {
		return
	}
	defer dir.Close()
	if on, err := dir.RenewalEnabled(req.CertbotLineage); err == nil {
		st.CertbotRenewal = map[bool]string{true: CertbotRenewalOn, false: CertbotRenewalOff}[on]
	}
}
