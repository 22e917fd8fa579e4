package provision

import (
	"strconv"
	"strings"
)

// EABPlaceholder stands for the EAB HMAC key in a printed command line:
// it is a secret and never shown.
const EABPlaceholder = "$EAB_HMAC"

// ApplyArgs returns the `httpsify apply` arguments that make the same
// change as s, without the flags left at their defaults, ending in --yes
// so the line runs unattended (on other servers, in scripts).
func (s *Settings) ApplyArgs() []string {
	a := []string{"apply"}
	add := func(flag string, v ...string) { a = append(append(a, flag), v...) }
	for _, d := range s.Domains {
		add("--domain", d)
	}
	if s.Upstream != nil {
		add("--upstream", s.Upstream.String())
	}
	if s.Email != "" {
		add("--email", s.Email)
	}
	if s.AgreeTOS {
		add("--agree-tos")
	}
	if ca := caName(s.CADirectory); ca != "letsencrypt" {
		add("--ca", ca)
	}
	if s.CARoot != "" {
		add("--ca-root", s.CARoot)
	}
	if s.EABKid != "" {
		add("--eab-kid", s.EABKid)
		add("--eab-hmac", EABPlaceholder)
	}
	if s.KeyType != "" && s.KeyType != "ec256" {
		add("--key-type", s.KeyType)
	}
	if s.CertDirGiven {
		add("--cert-dir", s.CertDir)
	}
	if s.TLSProfile != "" && s.TLSProfile != "intermediate" {
		add("--tls-profile", s.TLSProfile)
	}
	if s.HSTS {
		add("--hsts")
	}
	if !s.HTTP2 {
		add("--no-http2")
	}
	if s.BodySize != "" {
		add("--client-max-body-size", s.BodySize)
	}
	if s.NginxConf != DefaultNginxConf {
		add("--nginx-conf", s.NginxConf)
	}
	if s.NginxBin != "" && s.NginxBin != "nginx" {
		add("--nginx-bin", s.NginxBin)
	}
	if s.HTTPPort != 80 {
		add("--http-port", strconv.Itoa(s.HTTPPort))
	}
	if s.HTTPSPort != 443 {
		add("--https-port", strconv.Itoa(s.HTTPSPort))
	}
	if s.StateDir != DefaultStateDir {
		add("--state-dir", s.StateDir)
	}
	if s.ChallengeDir != DefaultChallengeDir {
		add("--challenge-dir", s.ChallengeDir)
	}
	return append(a, "--yes")
}

// ApplyCommand is ApplyArgs as one shell line.
func (s *Settings) ApplyCommand() string {
	return ShellJoin(append([]string{"httpsify"}, s.ApplyArgs()...))
}

// caName gives back the --ca name of a known directory, else its URL.
func caName(directory string) string {
	for _, n := range CANames {
		if knownCAs[n] == directory {
			return n
		}
	}
	return directory
}

// ShellJoin quotes each word for a POSIX shell where needed. The EAB
// placeholder stays a bare variable so a script can supply it.
func ShellJoin(words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		switch {
		case w == EABPlaceholder:
			out[i] = `"` + w + `"`
		case w != "" && strings.Trim(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-") == "":
			out[i] = w
		default:
			out[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}
