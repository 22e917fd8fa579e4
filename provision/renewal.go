package provision

import (
	"crypto/x509"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/termtext"
)

// needsCertificate is false when the installed certificate covers every
// name and more than a third of its lifetime remains: a rerun then only
// rewrites the config and never asks the CA again. A chain that does not
// verify against the trusted roots is replaced, and why is said.
func needsCertificate(s *Settings) (need bool, why string) {
	if s.ForceRenew {
		return true, ""
	}
	leaf, err := certstore.ReadLive(s.CertDir)
	if err != nil {
		return true, ""
	}
	if !covers(leaf, s.Domains) || renewDue(leaf, time.Now()) {
		return true, ""
	}
	if bad := installedUntrusted(s, time.Now()); bad != "" {
		// The chain's names are the certificate's, not ours: clean them.
		return true, i18n.T("the installed certificate does not chain to a trusted root, so a new one is needed: %s", termtext.Line(bad))
	}
	return false, ""
}

func covers(leaf *x509.Certificate, names []string) bool {
	for _, n := range names {
		if leaf.VerifyHostname(n) != nil {
			return false
		}
	}
	return true
}

// RenewAt is when a certificate is due for renewal: with a third of its
// lifetime left, as certbot and Let's Encrypt advise. The one owner of
// the renewal window.
func RenewAt(leaf *x509.Certificate) time.Time {
	life := leaf.NotAfter.Sub(leaf.NotBefore)
	return leaf.NotAfter.Add(-life / 3)
}

// renewDue: the renewal window has opened.
func renewDue(leaf *x509.Certificate, now time.Time) bool { return now.After(RenewAt(leaf)) }
