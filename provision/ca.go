package provision

import (
	"fmt"
	"net/url"
	"strings"
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
	u, err := url.Parse(ca)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || strings.ContainsAny(ca, " \t\r\n\"'") {
		return "", fmt.Errorf("%q is not a known CA (%s) nor an https:// ACME directory URL", ca, strings.Join(CANames, ", "))
	}
	return u.String(), nil
}

// CANeedsEAB reports whether a CA requires external account binding.
func CANeedsEAB(directory string) bool {
	return directory == knownCAs["zerossl"]
}
