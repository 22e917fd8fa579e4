package tlsaudit

import (
	"fmt"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

// protocolNames are the ssl_protocols values nginx knows, oldest first.
var protocolNames = []string{"SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}

// defaultProtocols is nginx's built-in ssl_protocols: TLSv1.3 joined the
// default in 1.23.4; TLSv1 and TLSv1.1 are in it on every version this
// package models.
func defaultProtocols(v version) []string {
	if v.known() && !v.atLeast(1, 23, 4) {
		return []string{"TLSv1", "TLSv1.1", "TLSv1.2"}
	}
	return []string{"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}
}

// effectiveProtocols: ssl_protocols is a bitmask in nginx, so repeated
// occurrences at one level add up (with a warning), and an inner level
// replaces the outer one.
func effectiveProtocols(in Input) (enabled map[string]bool, source string) {
	enabled = map[string]bool{}
	occ, level := in.lookup("ssl_protocols")
	if occ == nil {
		for _, p := range defaultProtocols(parseVersion(in.NginxVersion)) {
			enabled[p] = true
		}
		return enabled, "default"
	}
	for _, args := range occ {
		for _, a := range args {
			for _, p := range protocolNames {
				if strings.EqualFold(a, p) {
					enabled[p] = true
				}
			}
		}
	}
	return enabled, level
}

func protocolFindings(in Input) []Finding {
	enabled, source := effectiveProtocols(in)
	// Whole sentences per source: the subject's place differs by language.
	oldMsg := i18n.N("ssl_protocols enables %s, which browsers have dropped and WeChat refuses")
	no13Msg := i18n.N("ssl_protocols does not enable TLSv1.3")
	switch source {
	case "default":
		oldMsg = i18n.N("ssl_protocols is not set, so nginx's built-in default applies; it enables %s, which browsers have dropped and WeChat refuses")
		no13Msg = i18n.N("ssl_protocols is not set, so nginx's built-in default applies; it does not enable TLSv1.3")
	case "http":
		oldMsg = i18n.N("ssl_protocols at http level (inherited by this server) enables %s, which browsers have dropped and WeChat refuses")
		no13Msg = i18n.N("ssl_protocols at http level (inherited by this server) does not enable TLSv1.3")
	}
	var out []Finding
	var old []string
	for _, p := range protocolNames[:4] {
		if enabled[p] {
			old = append(old, p)
		}
	}
	if len(old) > 0 {
		out = append(out, Finding{Kind: KindOldProtocols, Directive: "ssl_protocols",
			Message: fmt.Sprintf(i18n.Tr(oldMsg), strings.Join(old, ", ")),
			Hint:    i18n.T("use ssl_protocols TLSv1.2 TLSv1.3;")})
	}
	if !enabled["TLSv1.3"] {
		out = append(out, Finding{Kind: KindNoTLS13, Directive: "ssl_protocols",
			Message: i18n.Tr(no13Msg),
			Hint:    i18n.T("use ssl_protocols TLSv1.2 TLSv1.3;")})
	}
	return out
}

// sslOnFindings reports "ssl on;" at either level.
func sslOnFindings(in Input) []Finding {
	occ, _ := in.lookup("ssl")
	for _, args := range occ {
		if len(args) == 1 && strings.EqualFold(args[0], "on") {
			msg := i18n.T("\"ssl on;\" is deprecated since nginx 1.15.0 and removed in 1.25.1; it also turns TLS on for every listen of the server, port 80 included")
			if v := parseVersion(in.NginxVersion); v.known() && v.atLeast(1, 25, 1) {
				msg = i18n.T("\"ssl on;\" was removed in nginx 1.25.1: this nginx (%s) refuses the configuration", shown(in.NginxVersion))
			}
			return []Finding{{Kind: KindSSLOn, Directive: "ssl", Message: msg,
				Hint: i18n.T("remove it and write \"listen 443 ssl;\" on the HTTPS listen only")}}
		}
	}
	return nil
}
