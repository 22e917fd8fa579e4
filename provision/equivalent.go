package provision

import (
	"strconv"
	"strings"

	"github.com/httpsify/httpsify/provision/acme"
	"github.com/httpsify/httpsify/provision/certbot"
)

// EABPlaceholder stands for the EAB HMAC key in a printed command line:
// it is a secret and never shown.
const EABPlaceholder = "$EAB_HMAC"

// ApplyArgs returns the `httpsify apply` arguments that make the same
// change as s, without the flags left at their defaults, ending in --yes
// so the line runs unattended (on other servers, in scripts).
func (s *Settings) ApplyArgs() []string {
	a := []string{"apply"}
	add := func(name string, v ...string) { a = append(append(a, "--"+name), v...) }
	for _, d := range s.Domains {
		add(FlagDomain, d)
	}
	if s.Upstream != nil {
		add(FlagUpstream, s.Upstream.String())
	}
	if s.Email != "" {
		add(FlagEmail, s.Email)
	}
	if s.AgreeTOS {
		add(FlagAgreeTOS)
	}
	if ca := caName(s.CADirectory); ca != "letsencrypt" {
		add(FlagCA, ca)
	}
	if s.CARoot != "" {
		add(FlagCARoot, s.CARoot)
	}
	if s.EABKid != "" {
		add(FlagEABKid, s.EABKid)
		add(FlagEABHMAC, EABPlaceholder)
	}
	if s.KeyType != "" && s.KeyType != "ec256" {
		add(FlagKeyType, s.KeyType)
	}
	if s.CertDirGiven {
		add(FlagCertDir, s.CertDir)
	}
	if s.TLSProfile != "" && s.TLSProfile != "intermediate" {
		add(FlagTLSProfile, s.TLSProfile)
	}
	if s.HSTS {
		add(FlagHSTS)
	}
	if !s.HTTP2 {
		add(FlagNoHTTP2)
	}
	if s.BodySize != "" {
		add(FlagClientMaxBodySize, s.BodySize)
	}
	if s.NginxConf != DefaultNginxConf {
		add(FlagNginxConf, s.NginxConf)
	}
	if s.NginxBin != "" && s.NginxBin != "nginx" {
		add(FlagNginxBin, s.NginxBin)
	}
	if s.HTTPPort != 80 {
		add(FlagHTTPPort, strconv.Itoa(s.HTTPPort))
	}
	if s.HTTPSPort != 443 {
		add(FlagHTTPSPort, strconv.Itoa(s.HTTPSPort))
	}
	if s.StateDir != DefaultStateDir {
		add(FlagStateDir, s.StateDir)
	}
	if s.ChallengeDir != DefaultChallengeDir {
		add(FlagChallengeDir, s.ChallengeDir)
	}
	if s.ACMEProfile != "" { // renew (issue 10)
		add(FlagACMEProfile, s.ACMEProfile)
	}
	if s.DeployHook != "" { // renew (issue 10)
		add(FlagDeployHook, s.DeployHook)
	}
	if s.Uploaded() {
		a = uploadArgs(a, s)
	}
	a = append(a, s.dnsApplyArgs()...)
	if s.CertbotDir != "" && s.CertbotDir != certbot.DefaultDir { // take over from certbot (issue 12)
		add(FlagCertbotDir, s.CertbotDir)
	}
	return append(a, "--"+FlagYes)
}

// ApplyCommand is ApplyArgs as one shell line.
func (s *Settings) ApplyCommand() string {
	return ShellJoin(append([]string{"httpsify"}, s.ApplyArgs()...))
}

// caName gives back the --ca name of a known directory, else its URL.
func caName(directory string) string {
	if c, ok := acme.ByDirectory(directory); ok {
		return c.Name
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
