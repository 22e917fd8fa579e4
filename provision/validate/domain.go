package validate

import (
	"errors"
	"net/netip"
	"strings"

	"golang.org/x/net/idna"

	"github.com/httpsify/httpsify/assets/i18n"
)

const (
	maxName  = 253 // RFC 1035, without the trailing dot
	maxLabel = 63
	// maxNameInput bounds the raw input before IDN work; a 253-byte ASCII
	// name can come from at most 253 runes of 4 bytes.
	maxNameInput = 4 * maxName
)

// profile is UTS #46 lookup processing (what browsers and CAs do to what a
// user types) made as strict as x/net/idna allows:
//   - MapForLookup, non-transitional: "WWW.Example" and fullwidth
//     "ｅｘａｍｐｌｅ" map to plain ASCII; "ß" stays "ß" (xn--zca), as in
//     current browsers. ValidateForRegistration would reject upper case
//     outright, which is too harsh for typed input.
//   - ValidateLabels (CheckHyphens, CheckJoiners) and StrictDomainName:
//     LDH only, no leading/trailing hyphen, no "ab--" labels, no stray
//     ZWJ/ZWNJ, and A-labels typed as "xn--..." are decoded and checked too.
//   - BidiRule: no right-to-left/left-to-right mixtures.
//   - VerifyDNSLength: no empty labels or over-long names.
//
// IDNA does not reject mixed-script look-alikes ("pаypal" with a Cyrillic
// "а" is a valid IDN), so Domain adds its own script check; see scripts.go.
var profile = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.BidiRule(),
	idna.ValidateLabels(true),
	idna.CheckHyphens(true),
	idna.CheckJoiners(true),
	idna.StrictDomainName(true),
	idna.VerifyDNSLength(true),
)

var errIP = errors.New("IP addresses cannot get a certificate here; use a domain name")

// Domain validates one host name as a user typed it and returns its ASCII
// form (lowercase, IDN converted to punycode, trailing dot removed).
// allowWildcard permits a single leading "*." label.
func Domain(s string, allowWildcard bool) (string, error) {
	if s == "" {
		return "", i18n.Errorf("domain name is empty")
	}
	if len(s) > maxNameInput {
		return "", i18n.Errorf("%s is too long for a domain name", show(s))
	}
	if isIPLiteral(s) {
		return "", errIP
	}
	return hostname(s, "domain name", true, allowWildcard)
}

// Domains validates each name, rejects an empty list, and drops exact
// duplicates (after normalisation), keeping first-occurrence order.
func Domains(list []string, allowWildcard bool) ([]string, error) {
	if len(list) == 0 {
		return nil, i18n.Errorf("no domain names given")
	}
	out := make([]string, 0, len(list))
	seen := make(map[string]bool, len(list))
	for _, s := range list {
		d, err := Domain(s, allowWildcard)
		if err != nil {
			return nil, err
		}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out, nil
}

// isIPLiteral catches "1.2.3.4", "::1", "[::1]", "fe80::1%eth0" and a
// trailing-dot "1.2.3.4." so they get the IP message rather than a
// confusing label error.
func isIPLiteral(s string) bool {
	if strings.HasPrefix(s, "[") {
		return true // brackets only ever wrap IPv6 literals
	}
	s = strings.TrimSuffix(s, ".")
	if i := strings.IndexByte(s, '%'); i > 0 && strings.Contains(s[:i], ":") {
		s = s[:i] // IPv6 zone
	}
	_, err := netip.ParseAddr(s)
	return err == nil
}

// unicodeDots are the full stops UTS #46 maps to "."; splitting on them
// up front lets us check, and report, one label at a time.
var unicodeDots = strings.NewReplacer("\u3002", ".", "\uff0e", ".", "\uff61", ".")

// hostname is the shared core of Domain and upstream host names. fqdn
// demands at least two labels (a certificate needs a full name); upstream
// hosts such as "localhost" or "app" may be single-label. noun names the
// kind of value in messages.
func hostname(s, noun string, fqdn, allowWildcard bool) (string, error) {
	if err := checkText(s); err != nil {
		return "", err
	}
	for _, r := range s {
		if r >= 0x80 || isLDH(byte(r)) || r == '.' || r == '*' {
			continue
		}
		if r == ':' || r == '/' {
			return "", i18n.Errorf("%s contains %q; give just the %s, without scheme, port or path", show(s), r, noun)
		}
		return "", i18n.Errorf("%s contains %q, which is not allowed in a %s", show(s), r, noun)
	}

	name := strings.TrimSuffix(unicodeDots.Replace(s), ".")
	labels := strings.Split(name, ".")
	wildcard := false
	if strings.Contains(name, "*") {
		if !allowWildcard {
			return "", i18n.Errorf("%s: wildcard names are not allowed here: the CA's HTTP-01 check fetches a file from each name, which cannot prove a wildcard (DNS-01 can; this version does not offer it yet)", show(s))
		}
		if labels[0] != "*" || strings.Count(name, "*") != 1 {
			return "", i18n.Errorf("%s: a wildcard is only allowed as the whole first label, as in *.example.com", show(s))
		}
		wildcard = true
		labels = labels[1:]
	}

	total := -1
	for i, l := range labels {
		if l == "" {
			return "", i18n.Errorf("%s has an empty label (a leading dot or two dots in a row)", show(s))
		}
		a, err := label(l)
		if err != nil {
			return "", i18n.Errorf("%s: %w", show(s), err)
		}
		labels[i] = a
		// Stop early on long input rather than convert every label.
		if total += 1 + len(a); total > maxName {
			return "", i18n.Errorf("%s is longer than %d characters", show(s), maxName)
		}
	}

	switch {
	case len(labels) == 0 && !fqdn:
		return "", i18n.Errorf("%s is not a host name", show(s))
	case fqdn && wildcard && len(labels) < 2:
		return "", i18n.Errorf("%s: a wildcard needs a full domain name after it, as in *.example.com", show(s))
	case fqdn && len(labels) < 2:
		return "", i18n.Errorf("%s is not a full domain name; a certificate needs a full domain name such as example.com", show(s))
	case isDigits(labels[len(labels)-1]):
		return "", i18n.Errorf("%s ends in an all-numeric label; use a domain name, not an IP address", show(s))
	}

	out := strings.Join(labels, ".")
	if wildcard {
		out = "*." + out
	}
	if len(out) > maxName {
		return "", i18n.Errorf("%s is longer than %d characters", show(s), maxName)
	}
	return out, nil
}

// label converts one label to its ASCII form and checks it.
func label(l string) (string, error) {
	a, err := profile.ToASCII(l)
	if err != nil {
		if len(a) > maxLabel { // a is the partial result
			if isASCII(l) {
				return "", i18n.Errorf("label %s is longer than %d characters", show(l), maxLabel)
			}
			return "", i18n.Errorf("label %s is longer than %d characters in its ASCII form %s", show(l), maxLabel, show(a))
		}
		return "", labelError(l, err)
	}
	a = strings.ToLower(a)
	if len(a) > maxLabel {
		return "", i18n.Errorf("label %s is longer than %d characters", show(l), maxLabel)
	}
	for i := 0; i < len(a); i++ {
		if !isLDH(a[i]) {
			// Paranoia: the profile should never let this through.
			return "", i18n.Errorf("label %s is not a valid domain label", show(l))
		}
	}
	if !strings.HasPrefix(a, "xn--") {
		return a, nil
	}
	// An A-label: check the Unicode it stands for, whether the user typed
	// Unicode or the xn-- form, and insist on the canonical encoding so
	// that validating the output again gives the same output.
	u, err := profile.ToUnicode(a)
	if err != nil {
		return "", labelError(l, err)
	}
	if again, err := profile.ToASCII(u); err != nil || again != a {
		return "", i18n.Errorf("label %s is not a valid internationalized label", show(l))
	}
	if err := checkScripts(u); err != nil {
		return "", i18n.Errorf("label %s %w", show(l), err)
	}
	return a, nil
}

// labelError turns an idna error into words, using our own hyphen checks
// because those are the common ASCII mistakes.
func labelError(l string, err error) error {
	switch {
	case strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-"):
		return i18n.Errorf("label %s starts or ends with a hyphen", show(l))
	case len(l) >= 4 && l[2:4] == "--" && !strings.HasPrefix(strings.ToLower(l), "xn--"):
		return i18n.Errorf("label %s has \"--\" in the third and fourth place, which is reserved", show(l))
	case len(l) > maxLabel && isASCII(l):
		return i18n.Errorf("label %s is longer than %d characters", show(l), maxLabel)
	}
	if r, ok := disallowedRune(l); ok {
		return i18n.Errorf("label %s contains a character not allowed in domain names (%U)", show(l), r)
	}
	return i18n.Errorf("label %s is not a valid internationalized label", show(l))
}

// runeMapping maps one character as lookup does, with no rule about its
// place in a label: what it refuses is refused for itself.
var runeMapping = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(true))

// disallowedRune is the first character of l that no domain name may
// hold, found by mapping each on its own (idna's error type is not
// exported, and its text is no contract).
func disallowedRune(l string) (rune, bool) {
	for _, r := range l {
		if r < 0x80 && (isLDH(byte(r)) || r == '.') {
			continue
		}
		if _, err := runeMapping.ToASCII(string(r)); err != nil {
			return r, true
		}
	}
	return 0, false
}

func isLDH(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
