package provision

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/httpsify/httpsify/assets/i18n"
)

// storedHost is the part of Host a renewal needs to reach the same nginx
// again, stored with each site's request (renew reads nothing else).
type storedHost struct {
	NginxConf    string `json:"nginx_conf"`
	NginxBin     string `json:"nginx_bin"`
	HTTPPort     int    `json:"http_port"`
	HTTPSPort    int    `json:"https_port"`
	ChallengeDir string `json:"challenge_dir"`
}

func storeHost(h *Host) *storedHost {
	if h == nil {
		return nil
	}
	return &storedHost{NginxConf: h.NginxConf, NginxBin: h.NginxBin, HTTPPort: h.HTTPPort, HTTPSPort: h.HTTPSPort, ChallengeDir: h.ChallengeDir}
}

// options puts the stored host back into o, to be validated with the rest
// (nil: the defaults, as a request stored before the host was).
func (h *storedHost) options(o *Options) {
	if h == nil {
		return
	}
	o.NginxConf, o.NginxBin, o.HTTPPort, o.HTTPSPort, o.ChallengeDir = h.NginxConf, h.NginxBin, h.HTTPPort, h.HTTPSPort, h.ChallengeDir
}

// withHost is the request as stored after a deploy: with the host it was
// deployed on, so that renew needs no flag.
func (s *Settings) withHost() *Request {
	r := s.Request
	r.host = &s.Host
	return &r
}

// StoredHost is the host the request was stored with; ok is false for a
// request stored before hosts were.
func (r *Request) StoredHost() (h Host, ok bool) {
	if r.host == nil {
		return Host{}, false
	}
	return *r.host, true
}

// acmeProfileName is what RFC 8555's profiles extension names look like
// at Let's Encrypt and Pebble ("classic", "tlsserver", "shortlived").
var acmeProfileName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// maxDeployHook bounds the hook's length: it is one shell command line.
const maxDeployHook = 4096

// validateRenewOptions checks the renewal options: the profile name is
// sent to the CA, the hook is run by /bin/sh as root.
func validateRenewOptions(o Options, s *Settings) error {
	if o.ACMEProfile != "" && !acmeProfileName.MatchString(o.ACMEProfile) {
		return fieldErr(FlagACMEProfile, i18n.Errorf("%q is not a profile name (lower-case letters, digits, '.', '_', '-')", o.ACMEProfile))
	}
	s.ACMEProfile = o.ACMEProfile
	if err := checkDeployHook(o.DeployHook); err != nil {
		return fieldErr(FlagDeployHook, err)
	}
	s.DeployHook = o.DeployHook
	return nil
}

func checkDeployHook(h string) error {
	if len(h) > maxDeployHook {
		return i18n.Errorf("longer than %d bytes", maxDeployHook)
	}
	if h != "" && strings.TrimSpace(h) == "" {
		return i18n.Errorf("is blank")
	}
	for _, r := range h {
		if r == '\n' || r == '\r' || r == 0 || (unicode.IsControl(r) && r != '\t') || r == unicode.ReplacementChar {
			return i18n.Errorf("must be one line of printable text")
		}
	}
	return nil
}

// CheckRenewOptions validates --profile and --deploy-hook given to
// `httpsify renew`, as apply validates them.
func CheckRenewOptions(profile, hook string) error {
	return validateRenewOptions(Options{ACMEProfile: profile, DeployHook: hook}, &Settings{})
}
