package acme

import (
	"strconv"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/validate"
)

// CA is a well-known ACME CA: the one table of them.
type CA struct {
	Name      string // as --ca takes it
	Label     string // in the wizard's list
	Short     string // in the wizard's summary line
	Picked    string // in the wizard's list once chosen, "" for Label
	Directory string
	NeedsEAB  bool // external account binding is required
}

// CAs are the CAs --ca knows by name, in display order.
var CAs = []CA{
	{Name: "letsencrypt", Label: "Let's Encrypt", Short: "Let's Encrypt", Directory: "https://acme-v02.api.letsencrypt.org/directory"},
	{Name: "letsencrypt-staging", Label: i18n.N("Let's Encrypt staging: test certificates that browsers do not trust"), Short: "Let's Encrypt staging", Picked: i18n.N("Let's Encrypt staging (test certificates)"), Directory: "https://acme-staging-v02.api.letsencrypt.org/directory"},
	{Name: "zerossl", Label: i18n.N("ZeroSSL: needs EAB credentials from its dashboard"), Short: "ZeroSSL", Picked: "ZeroSSL", Directory: "https://acme.zerossl.com/v2/DV90", NeedsEAB: true},
}

// DefaultCA is the CA used when none is given.
const DefaultCA = "letsencrypt"

// CANames lists the names --ca accepts besides a URL, in display order.
var CANames = func() []string {
	var out []string
	for _, c := range CAs {
		out = append(out, c.Name)
	}
	return out
}()

// ByName finds a known CA by its --ca name.
func ByName(name string) (CA, bool) {
	for _, c := range CAs {
		if c.Name == name {
			return c, true
		}
	}
	return CA{}, false
}

// ByDirectory finds a known CA by its directory URL.
func ByDirectory(directory string) (CA, bool) {
	for _, c := range CAs {
		if c.Directory == directory {
			return c, true
		}
	}
	return CA{}, false
}

// ResolveCA turns a --ca value into an ACME directory URL.
func ResolveCA(ca string) (string, error) {
	if ca == "" {
		ca = DefaultCA
	}
	if c, ok := ByName(ca); ok {
		return c.Directory, nil
	}
	// The URL names a directory under the state dir and is shown in every
	// message, so it gets the upstream URL rules: a checked host and port,
	// a path of [A-Za-z0-9._~/-] only, no query, fragment or user info.
	u, err := validate.ParseUpstream(ca)
	if err != nil || u.Kind != validate.UpstreamURL || u.Scheme != "https" {
		return "", i18n.Errorf("%s is not a known CA (%s) nor an https:// ACME directory URL of letters, digits and . _ ~ / -", quoteShort(ca), strings.Join(CANames, ", "))
	}
	return u.String(), nil
}

// quoteShort quotes s for a message, cut to 80 bytes so a pasted blob
// cannot flood the terminal.
func quoteShort(s string) string {
	if len(s) > 80 {
		return strconv.Quote(s[:80]) + "..."
	}
	return strconv.Quote(s)
}

// CANeedsEAB reports whether a CA requires external account binding.
func CANeedsEAB(directory string) bool {
	c, ok := ByDirectory(directory)
	return ok && c.NeedsEAB
}
