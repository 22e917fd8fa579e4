package provision

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/httpsify/httpsify/provision/validate"
)

// Well-known ACME directories, by the names --ca accepts.
var knownCAs = map[string]string{
	"letsencrypt":         "https://acme-v02.api.letsencrypt.org/directory",
	"letsencrypt-staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
	"zerossl":             "https://acme.zerossl.com/v2/DV90",
}

// CANames lists the names --ca accepts besides a URL, in display order.
var CANames = []string{"letsencrypt", "letsencrypt-staging", "zerossl"}

// ResolveCA turns a --ca value into an ACME directory URL.
func ResolveCA(ca string) (string, error) {
	if ca == "" {
		ca = "letsencrypt"
	}
	if u, ok := knownCAs[ca]; ok {
		return u, nil
	}
	// The URL names a directory under the state dir and is shown in every
	// message, so it gets the upstream URL rules: a checked host and port,
	// a path of [A-Za-z0-9._~/-] only, no query, fragment or user info.
	u, err := validate.ParseUpstream(ca)
	if err != nil || u.Kind != validate.UpstreamURL || u.Scheme != "https" {
		return "", fmt.Errorf("%s is not a known CA (%s) nor an https:// ACME directory URL of letters, digits and . _ ~ / -", quoteShort(ca), strings.Join(CANames, ", "))
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
	return directory == knownCAs["zerossl"]
}
