package provision

import (
	"slices"
	"strings"
	"sync"

	"github.com/httpsify/httpsify/provision/certstore"
)

// certState is what planning needs to know of a site's install location:
// read from disk once per Detection and install location, so rebuilding
// a plan (the wizard does on every preview toggle) probes nothing again.
type certState struct {
	dirErr  error  // checkCertDir's verdict
	current string // the version linked now, "" when none
	issue   bool   // a new certificate is needed
	why     string // and why, when it must be said
}

type certKey struct {
	certDir, caRoot, domains string
	forceRenew               bool
}

// certProbes caches certState per install location.
type certProbes struct {
	mu    sync.Mutex
	byKey map[certKey]*certState
}

// siteCert probes the install location for s, once.
func (d *Detection) siteCert(s *Settings) *certState {
	k := certKey{s.CertDir, s.CARoot, strings.Join(slices.Clone(s.Domains), " "), s.ForceRenew}
	d.certs.mu.Lock()
	defer d.certs.mu.Unlock()
	if c, ok := d.certs.byKey[k]; ok {
		return c
	}
	c := &certState{dirErr: checkCertDir(s)}
	if c.dirErr == nil {
		c.current, _ = certstore.Current(s.CertDir)
		c.issue, c.why = needsCertificate(s)
	}
	if d.certs.byKey == nil {
		d.certs.byKey = map[certKey]*certState{}
	}
	d.certs.byKey[k] = c
	return c
}
