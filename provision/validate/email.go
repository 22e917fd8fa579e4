package validate

import (
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

const (
	maxEmail = 254 // RFC 5321 path limit minus the angle brackets
	maxLocal = 64
)

// Email validates a plain addr-spec, local@domain, as used for the ACME
// account and ServerAdmin. The local part is limited to [A-Za-z0-9._+-]:
// RFC 5322 allows far more (', #, $, {, }, quoted strings), but those are
// config syntax, and real admin addresses do not need them. The domain
// follows Domain rules (IDN converted, no IP literal, no wildcard). The
// local part keeps its case; the domain is lower-cased.
func Email(s string) (string, error) {
	if s == "" {
		return "", i18n.Errorf("email address is empty")
	}
	if len(s) > 4*maxEmail {
		return "", i18n.Errorf("%s is too long for an email address", show(s))
	}
	if err := checkText(s); err != nil {
		return "", err
	}
	if strings.ContainsAny(s, "<>\"") {
		return "", i18n.Errorf("%s: give just the address, like admin@example.com, without a name, quotes or <>", show(s))
	}
	local, domain, ok := strings.Cut(s, "@")
	switch {
	case !ok:
		return "", i18n.Errorf("%s is missing the @", show(s))
	case strings.Contains(domain, "@"):
		return "", i18n.Errorf("%s has more than one @", show(s))
	case local == "":
		return "", i18n.Errorf("%s has nothing before the @", show(s))
	case domain == "":
		return "", i18n.Errorf("%s has nothing after the @", show(s))
	case len(local) > maxLocal:
		return "", i18n.Errorf("%s: the part before the @ is longer than %d characters", show(s), maxLocal)
	}
	for _, r := range local {
		if !isLocalChar(r) {
			return "", i18n.Errorf("%s contains %q; before the @ only letters, digits and . _ + - are allowed", show(s), r)
		}
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "", i18n.Errorf("%s: the part before the @ cannot start or end with a dot or have two dots in a row", show(s))
	}
	d, err := Domain(domain, false)
	if err != nil {
		return "", i18n.Errorf("%s has a bad domain: %w", show(s), err)
	}
	out := local + "@" + d
	if len(out) > maxEmail {
		return "", i18n.Errorf("%s is longer than %d characters", show(s), maxEmail)
	}
	return out, nil
}

func isLocalChar(r rune) bool {
	return r < 0x80 && isLDH(byte(r)) || r == '.' || r == '_' || r == '+'
}
