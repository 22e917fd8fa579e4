package provision

import (
	"crypto/x509"
	"time"

	"github.com/httpsify/httpsify/provision/certstore"
)

// needsCertificate is false when the installed certificate covers every
// name and more than a third of its lifetime remains: a rerun then only
// rewrites the config and never asks the CA again.
func needsCertificate(s *Settings) bool {
	if s.ForceRenew {
		return true
	}
	leaf, err := certstore.ReadLive(s.CertDir)
	if err != nil {
		return true
	}
	return !covers(leaf, s.Domains) || renewDue(leaf, time.Now())
}

func covers(leaf *x509.Certificate, names []string) bool {
	for _, n := range names {
		if leaf.VerifyHostname(n) != nil {
			return false
		}
	}
	return true
}

// renewDue: a third of the lifetime left, as certbot and Let's Encrypt advise.
func renewDue(leaf *x509.Certificate, now time.Time) bool {
	life := leaf.NotAfter.Sub(leaf.NotBefore)
	return now.After(leaf.NotAfter.Add(-life / 3))
}
