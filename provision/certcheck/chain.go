package certcheck

import (
	"bytes"
	"crypto/x509"
	"errors"
	"strings"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
)

// pickLeaf finds the server's own certificate among all the certificates
// in the files: the one the private key belongs to. Without a usable key it
// falls back to the first certificate that is not a CA, so names and dates
// are still checked.
func pickLeaf(all []*x509.Certificate, key privateKey) (leaf *x509.Certificate, matched bool) {
	if key != nil {
		for _, c := range all {
			if keyMatches(c, key) {
				return c, true
			}
		}
	}
	for _, c := range all {
		if !c.IsCA {
			return c, false
		}
	}
	return all[0], false
}

// verifyTime is when the path is built: now, unless the leaf is outside its
// validity (reported on its own), so that an expired pair still gets its
// chain explained.
func verifyTime(leaf *x509.Certificate, now time.Time) time.Time {
	if now.Before(leaf.NotBefore) || now.After(leaf.NotAfter) {
		return leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2)
	}
	return now
}

// buildPath verifies the leaf to a trusted root using the files'
// certificates as intermediates and returns the intermediates in order
// (leaf's issuer first, root excluded). Trusted means roots, then extra.
func buildPath(leaf *x509.Certificate, others []*x509.Certificate, roots, extra *x509.CertPool, now time.Time) ([]*x509.Certificate, error) {
	inter := x509.NewCertPool()
	for _, c := range others {
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   verifyTime(leaf, now),
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	chains, err := leaf.Verify(opts)
	var unknown x509.UnknownAuthorityError
	if err != nil && extra != nil && errors.As(err, &unknown) {
		opts.Roots = extra
		chains, err = leaf.Verify(opts)
	}
	if err != nil {
		return nil, err
	}
	best := chains[0]
	for _, ch := range chains[1:] {
		if len(ch) < len(best) {
			best = ch
		}
	}
	if len(best) == 1 {
		return nil, nil // the leaf itself is a trusted root (a private CA the user named)
	}
	return best[1 : len(best)-1], nil
}

// issuerIn finds c's issuer among certs: subject matches c's issuer and the
// signature checks.
func issuerIn(c *x509.Certificate, certs []*x509.Certificate) *x509.Certificate {
	for _, p := range certs {
		if p != c && bytes.Equal(c.RawIssuer, p.RawSubject) && c.CheckSignatureFrom(p) == nil {
			return p
		}
	}
	return nil
}

// selfSigned checks the signature directly: CheckSignatureFrom would also
// demand the CA flag, which a self-signed server certificate lacks.
func selfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject) &&
		c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// explainPath turns a path-building failure into a finding. For an unknown
// authority it walks up from the leaf through the files to the last
// certificate found, and says whose certificate is missing and where
// providers put it.
func explainPath(err error, leaf *x509.Certificate, all []*x509.Certificate, hasChainFile bool) Finding {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var insecure x509.InsecureAlgorithmError
	switch {
	case errors.As(err, &unknown):
		top := leaf
		seen := map[*x509.Certificate]bool{leaf: true}
		for {
			p := issuerIn(top, all)
			if p == nil || seen[p] {
				break
			}
			seen[p] = true
			top = p
		}
		if selfSigned(top) {
			msg := i18n.T("the chain ends at %s, a root certificate this server does not trust", name(top))
			if top == leaf {
				msg = i18n.T("the certificate is self-signed; browsers will not trust it")
			}
			return Finding{Kind: KindUntrustedRoot, Severity: Error, Field: FieldCert, Message: msg,
				Hint: i18n.T("use a certificate from a public CA (or httpsify's ACME option); a private CA's root must be installed on every client")}
		}
		return missingIntermediate(top, hasChainFile)
	case errors.As(err, &invalid):
		switch invalid.Reason {
		case x509.Expired:
			return Finding{Kind: KindChainInvalid, Severity: Error, Field: FieldChain,
				Message: i18n.T("a certificate in the chain (%s) is expired or not yet valid", name(invalid.Cert)),
				Hint:    i18n.T("download the current intermediate (ca_bundle) from your provider")}
		case x509.IncompatibleUsage:
			return Finding{Kind: KindChainInvalid, Severity: Error, Field: FieldCert,
				Message: i18n.T("the certificate is not issued for web servers (its extended key usage lacks TLS server authentication)"),
				Hint:    i18n.T("request an SSL/TLS server certificate from your provider")}
		case x509.NotAuthorizedToSign:
			return Finding{Kind: KindChainInvalid, Severity: Error, Field: FieldChain,
				Message: i18n.T("%s appears as an issuer but is not a CA certificate", name(invalid.Cert)),
				Hint:    i18n.T("the chain file holds a wrong certificate; use the ca_bundle from the same download")}
		}
	case errors.As(err, &insecure):
		return Finding{Kind: KindChainInvalid, Severity: Error, Field: FieldCert,
			Message: i18n.T("the chain is signed with an algorithm browsers reject (%s)", quote(insecure.Error())),
			Hint:    i18n.T("get a certificate signed with SHA-256")}
	}
	return Finding{Kind: KindChainInvalid, Severity: Error, Field: FieldCert,
		Message: i18n.T("the certificate chain does not verify: %s", quote(err.Error()))}
}

// missingIntermediate says which issuer is missing and where to find it:
// the download's ca_bundle/chain file, or the URL the certificate names in
// its Authority Information Access field (never fetched here).
func missingIntermediate(top *x509.Certificate, hasChainFile bool) Finding {
	msg := i18n.T("the intermediate certificate is missing: %s was issued by %s, which is neither in the files nor a trusted root", name(top), issuerName(top))
	hint := i18n.T("providers ship it in the download as the \"ca_bundle\" or \"chain\" file (or as the second certificate in the nginx .pem)")
	if !hasChainFile {
		hint += i18n.T("; pass it with --chain-file")
	}
	if len(top.IssuingCertificateURL) > 0 {
		hint += i18n.T("; the issuer's certificate is also published at %s", quote(top.IssuingCertificateURL[0]))
	}
	field := FieldCert
	if hasChainFile {
		field = FieldChain
	}
	return Finding{Kind: KindIntermediateMissing, Severity: Error, Field: field, Message: msg, Hint: hint}
}

// orderFindings reports what normalising changed: the leaf not first, the
// path's intermediates out of order, and certificates left out.
func orderFindings(fileOrder []*x509.Certificate, leaf *x509.Certificate, path []*x509.Certificate) []Finding {
	var out []Finding
	want := append([]*x509.Certificate{leaf}, path...)
	var got []*x509.Certificate
	inPath := map[string]bool{} // by DER: Verify may hand back equal certificates from a pool
	for _, c := range want {
		inPath[string(c.Raw)] = true
	}
	var dropped []string
	for _, c := range fileOrder {
		if inPath[string(c.Raw)] {
			got = append(got, c)
		} else {
			dropped = append(dropped, name(c))
		}
	}
	same := len(got) == len(want)
	for i := 0; same && i < len(got); i++ {
		same = got[i].Equal(want[i])
	}
	if !same {
		out = append(out, Finding{Kind: KindReordered, Severity: Note, Field: FieldCert,
			Message: i18n.T("the files held the chain out of order; it is installed as the server's certificate first, then its issuers")})
	}
	if len(dropped) > 0 {
		out = append(out, Finding{Kind: KindDroppedCertificate, Severity: Note, Field: FieldChain,
			Message: i18n.T("left out, not needed on the path to a trusted root: %s", strings.Join(dropped, ", "))})
	}
	return out
}
