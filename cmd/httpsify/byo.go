package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/termtext"
	"github.com/spf13/pflag"
)

// acmeOnlyFlags only mean something when a CA issues the certificate.
var acmeOnlyFlags = []string{provision.FlagACMEProfile, provision.FlagCA, provision.FlagEABKid, provision.FlagEABHMAC, provision.FlagChallenge, provision.FlagKeyType, provision.FlagForceRenew, provision.FlagDNSProvider, provision.FlagDNSCredentials, provision.FlagDNSResolver, provision.FlagDNSTimeout, provision.FlagDNSNSPort}

// acmeOnlyConflict refuses an ACME-only flag next to your own
// certificate (--cert-file or --keep-certificate), naming the flag: the
// user would otherwise believe it had an effect.
func acmeOnlyConflict(fs *pflag.FlagSet, o provision.Options) error {
	byo := provision.FlagCertFile
	switch {
	case o.KeepCertificate:
		byo = provision.FlagKeepCertificate
	case o.CertFile == "" && o.KeyFile == "":
		return nil
	}
	for _, name := range acmeOnlyFlags {
		if fs.Changed(name) {
			return &provision.FieldError{Field: name, Err: i18n.Errorf("is for certificates from a CA; it cannot be used with --%s (your own certificate)", byo)}
		}
	}
	return nil
}

// refuseUpload checks --cert-file's files before the state dir is even
// opened, so refused files change nothing at all; the findings are
// printed in plain words (exit 2). --keep-certificate's files are known
// only once the config is read: planning checks them the same way.
func refuseUpload(s *provision.Settings) (int, bool) {
	if !s.Uploaded() || s.KeepCertificate {
		return 0, false
	}
	if _, err := provision.CheckUpload(s); err != nil {
		fmt.Fprintf(os.Stderr, "httpsify: %s\n%s\n", termtext.Clean(err.Error()), i18n.T("Nothing was changed."))
		var fe *provision.FieldError
		if errors.As(err, &fe) {
			return 2, true
		}
		return 1, true
	}
	return 0, false
}
