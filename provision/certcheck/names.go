package certcheck

import (
	"crypto/x509"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

// covers reports whether the leaf's subject alternative names cover domain
// the way browsers match them (RFC 6125 as the CA/Browser Forum applies
// it): exact, case-insensitive; a wildcard "*.example.com" stands for
// exactly one whole label, so it covers "www.example.com" but neither
// "example.com" nor "a.b.example.com". The common name is ignored, as
// browsers ignore it. A requested wildcard is covered only by the same
// wildcard.
func covers(leaf *x509.Certificate, domain string) bool {
	d := canonical(domain)
	for _, san := range leaf.DNSNames {
		s := canonical(san)
		if s == d {
			return true
		}
		if rest, ok := strings.CutPrefix(s, "*."); ok && !strings.HasPrefix(d, "*.") {
			label, parent, found := strings.Cut(d, ".")
			if found && label != "" && parent == rest && strings.Contains(rest, ".") {
				return true
			}
		}
	}
	return false
}

func canonical(s string) string {
	return strings.TrimSuffix(strings.ToLower(s), ".")
}

// nameFindings reports each requested domain the leaf does not cover.
func nameFindings(leaf *x509.Certificate, domains []string) []Finding {
	var out []Finding
	if len(leaf.DNSNames) == 0 && len(domains) > 0 {
		return []Finding{{Kind: KindNameNotCovered, Severity: Error, Field: FieldCert,
			Message: i18n.T("the certificate lists no domain names (no subject alternative names); browsers ignore the common name"),
			Hint:    i18n.T("request a certificate that names %s", quote(domains[0]))}}
	}
	for _, d := range domains {
		if covers(leaf, d) {
			continue
		}
		f := Finding{Kind: KindNameNotCovered, Severity: Error, Field: FieldCert,
			Message: i18n.T("the certificate does not cover %s; it names %s", quote(d), sanList(leaf.DNSNames)),
			Hint:    i18n.T("get a certificate that includes %s, or leave that domain out", quote(d))}
		if apexOfWildcard(leaf, d) {
			f.Hint = i18n.T("a wildcard covers one level below the domain, never the domain itself: the certificate must list %s as well", quote(d))
		}
		out = append(out, f)
	}
	return out
}

// apexOfWildcard: the domain is the apex of one of the leaf's wildcards,
// the commonest surprise with wildcard certificates.
func apexOfWildcard(leaf *x509.Certificate, d string) bool {
	for _, san := range leaf.DNSNames {
		if canonical(san) == "*."+canonical(d) {
			return true
		}
	}
	return false
}

func sanList(names []string) string {
	const max = 6
	var q []string
	for i, n := range names {
		if i == max {
			q = append(q, "…")
			break
		}
		q = append(q, quote(n))
	}
	return strings.Join(q, ", ")
}
