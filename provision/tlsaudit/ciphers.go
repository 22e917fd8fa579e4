package tlsaudit

import (
	"context"
	"errors"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

// nginxDefaultCiphers is ssl_ciphers' built-in value.
const nginxDefaultCiphers = "HIGH:!aNULL:!MD5"

// broadAliases enable whole families whose members differ between OpenSSL
// versions (3DES was in HIGH before 1.1.0) and include CBC and, for most,
// static-RSA suites.
var broadAliases = map[string]bool{
	"ALL": true, "COMPLEMENTOFALL": true, "DEFAULT": true, "COMPLEMENTOFDEFAULT": true,
	"HIGH": true, "MEDIUM": true, "LOW": true,
	"RSA": true, "kRSA": true, "aRSA": true, "AES": true, "AES128": true, "AES256": true,
	"SHA": true, "SHA1": true, "SHA256": true, "SHA384": true,
	"EECDH": true, "EDH": true, "kEECDH": true, "kEDH": true, "ECDHE": true, "DHE": true, "kECDHE": true, "kDHE": true,
	"TLSv1": true, "TLSv1.0": true, "SSLv3": true, "TLSv1.2": true,
}

// weakTokens are families that are broken whatever OpenSSL makes of them.
var weakTokens = []string{"RC4", "3DES", "DES", "DES-CBC3", "EXP", "EXPORT", "NULL", "eNULL", "aNULL", "ADH", "AECDH", "MD5", "IDEA", "RC2"}

// enabling returns the elements that add suites: not "!X", "-X" or "+X",
// nor "@STRENGTH"-style commands. "A+B" is one element.
func enabling(spec string) []string {
	var out []string
	for _, e := range splitCipherString(spec) {
		if e == "" || strings.ContainsAny(e[:1], "!-+@") {
			continue
		}
		out = append(out, e)
	}
	return out
}

// staticFindings reads the string itself: broad aliases always, and weak
// families when the list could not be expanded.
func staticFindings(spec string, expanded bool) []Finding {
	var broad, weak []string
	for _, e := range enabling(spec) {
		if broadAliases[e] {
			broad = append(broad, e)
		}
		if expanded {
			continue
		}
		for _, part := range strings.Split(e, "+") {
			for _, w := range weakTokens {
				if part == w || strings.Contains(part, w+"-") || strings.HasSuffix(part, "-"+w) {
					weak = append(weak, shown(e))
				}
			}
		}
	}
	var out []Finding
	if len(broad) > 0 {
		out = append(out, Finding{Kind: KindBroadCipherAlias, Directive: "ssl_ciphers",
			Message: i18n.T("ssl_ciphers relies on %s, which pull in whatever this OpenSSL counts in them (CBC and non-forward-secret suites included) instead of naming the suites", strings.Join(broad, ", ")),
			Hint:    i18n.T("list the six Mozilla intermediate suites explicitly")})
	}
	if len(weak) > 0 {
		out = append(out, Finding{Kind: KindBrokenCiphers, Directive: "ssl_ciphers",
			Message: i18n.T("ssl_ciphers names broken suites: %s", strings.Join(dedupe(weak), ", ")),
			Hint:    i18n.T("list the six Mozilla intermediate suites explicitly")})
	}
	return out
}

// cipherFindings expands the effective ssl_ciphers and reports what it
// enables.
func cipherFindings(ctx context.Context, in Input, exp Expander) []Finding {
	spec, subject := nginxDefaultCiphers, i18n.T("nginx's default ssl_ciphers (%s)", nginxDefaultCiphers)
	if occ, level := in.lookup("ssl_ciphers"); occ != nil && len(occ[0]) > 0 {
		spec = strings.Join(occ[0], " ")
		subject = "ssl_ciphers"
		if level == "http" {
			subject = i18n.T("the http-level ssl_ciphers")
		}
	}
	suites, err := exp.Expand(ctx, spec)
	switch {
	case errors.Is(err, ErrNoMatch):
		return []Finding{{Kind: KindCipherListInvalid, Directive: "ssl_ciphers",
			Message: i18n.T("%s matches no cipher suite this server's OpenSSL offers; nginx refuses to start with it", subject),
			Hint:    i18n.T("list the six Mozilla intermediate suites explicitly")}}
	case err != nil:
		return append([]Finding{{Kind: KindCiphersUnchecked, Directive: "ssl_ciphers",
			Message: i18n.T("the cipher list could not be expanded (openssl is not available); only its words were read")}},
			staticFindings(spec, false)...)
	}
	var broken, noFS, cbc []string
	for _, s := range suites {
		if s.TLS13() || !s.Usable() {
			continue
		}
		switch {
		case s.Broken():
			broken = append(broken, s.Name)
		case !s.ForwardSecret():
			noFS = append(noFS, s.Name)
		case !s.AEAD():
			cbc = append(cbc, s.Name)
		}
	}
	out := staticFindings(spec, true)
	if len(broken) > 0 {
		out = append(out, suiteFinding(KindBrokenCiphers, subject, i18n.T("broken suites (RC4, DES/3DES, NULL, anonymous or MD5)"), broken))
	}
	if len(noFS) > 0 {
		out = append(out, suiteFinding(KindNoForwardSecrecy, subject, i18n.T("suites without forward secrecy (static RSA key exchange)"), noFS))
	}
	if len(cbc) > 0 {
		out = append(out, suiteFinding(KindNonAEAD, subject, i18n.T("CBC suites without authenticated encryption"), cbc))
	}
	return out
}

func suiteFinding(k Kind, subject, what string, names []string) Finding {
	shown := names
	more := ""
	if len(shown) > 3 {
		shown, more = shown[:3], i18n.T(" and %d more", len(names)-3)
	}
	return Finding{Kind: k, Directive: "ssl_ciphers", Suites: names,
		Message: i18n.T("%s enables %d %s: %s%s", subject, len(names), what, strings.Join(shown, ", "), more),
		Hint:    i18n.T("list the six Mozilla intermediate suites explicitly (ECDHE with AES-GCM or ChaCha20-Poly1305)")}
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
