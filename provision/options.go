package provision

import (
	"cmp"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/acme"
	"github.com/httpsify/httpsify/provision/dnschallenge"
	"github.com/httpsify/httpsify/provision/statedir"
	"github.com/httpsify/httpsify/provision/validate"
)

// Options are the answers a run needs, as typed by the user (flags or the
// wizard). Validate turns them into a Settings value; nothing else in the
// engine reads raw Options.
type Options struct {
	Domains           []string
	Upstream          string
	Email             string
	AgreeTOS          bool
	Challenge         string // "http-01" (default)
	CA                string // name or directory URL
	CARoot            string // PEM file trusted for the ACME directory's TLS
	EABKid, EABHMAC   string
	KeyType           string // ec256 (default), ec384, rsa2048, rsa4096
	CertDir           string // install location; default <state-dir>/live/<primary>
	TLSProfile        string // intermediate (default) or modern
	HSTS              bool
	NoHTTP2           bool
	ClientMaxBodySize string
	NginxConf         string
	NginxBin          string
	HTTPPort          int
	HTTPSPort         int
	StateDir          string
	ChallengeDir      string // HTTP-01 webroot; default DefaultChallengeDir
	ForceRenew        bool
	// Bring your own certificate (issue 12): the user's files, or
	// KeepCertificate to reuse the ones the site's config names.
	CertFile, KeyFile, ChainFile string
	KeepCertificate              bool

	// DNS-01 (issue 11): see dns01.go.
	DNSProvider        string        // catalog code, or "manual"
	DNSCredentialsFile string        // KEY=VALUE file; else the provider's variables in DNSEnviron
	DNSEnviron         []string      // os.Environ() form: where credentials are taken from without a file
	DNSResolvers       []string      // host:port, for the zone lookup and propagation checks
	DNSTimeout         time.Duration // propagation bound; 0: the provider's own, or 2 minutes
	DNSNSPort          int           // port of the zone's authoritative servers; 0: 53 (test zones only)
	DNSAsk             dnschallenge.AskFunc

	// renew (issue 10): the CA's ACME profile (e.g. shortlived) and the
	// command run after each renewal.
	ACMEProfile string
	DeployHook  string

	// Take over from certbot (issue 12): certbot's config dir, where a
	// site's certbot lineage is read; default /etc/letsencrypt.
	// CertbotLineage is set only from a stored request (an adopted one).
	CertbotDir     string
	CertbotLineage string
}

// Defaults for the options a user usually leaves alone.
const (
	DefaultStateDir  = "/etc/httpsify"
	DefaultNginxConf = "/etc/nginx/nginx.conf"
)

// Host settings are this machine's, the same for every site: where
// httpsify keeps its state, the web server it drives, and its ports.
type Host struct {
	StateDir     string
	ChallengeDir string // HTTP-01 webroot
	NginxConf    string
	NginxBin     string
	HTTPPort     int
	HTTPSPort    int
}

// Request is what one site asked for. It is stored with the site's
// certificate (see request.go), so a later run (renewal) reads it back.
type Request struct {
	Domains      []string // ASCII, primary first
	Upstream     *validate.Upstream
	Email        string
	AgreeTOS     bool
	Challenge    string
	CADirectory  string
	CARoot       string
	EABKid       string // used once, to register the account; never stored
	EABHMAC      string // a secret: never stored, never printed
	KeyType      string
	CertDir      string
	CertDirGiven bool
	TLSProfile   string
	HSTS         bool
	HTTP2        bool
	BodySize     string
	ForceRenew   bool // this run only; never stored
	// Bring your own certificate (issue 12): CertSource is SourceUploaded
	// when the certificate is the user's (it cannot renew itself), and the
	// files it came from, absolute. KeepCertificate (this run only) takes
	// them from the site's config while planning.
	CertSource                   string
	CertFile, KeyFile, ChainFile string
	KeepCertificate              bool

	// DNS-01 (issue 11): stored, except the credentials' values (kept
	// 0600 in DNSCredentialsFile) and DNSAsk, which is this run's UI.
	DNSProvider        string
	DNSCredentialsFile string
	DNSResolvers       []string
	DNSTimeout         time.Duration
	DNSNSPort          int
	DNSCredentials     *dnschallenge.Credentials // this run only; never stored
	DNSAsk             dnschallenge.AskFunc      // manual mode: shows the records, returns on the user's go-ahead

	// renew (issue 10): the ACME profile asked of the CA, the command run
	// after a renewal, the certificate a renewal replaces (ARI; this run
	// only), and the host settings stored with the request (nil when the
	// request was stored before they were).
	ACMEProfile    string
	DeployHook     string
	ReplacesCertID string
	host           *Host

	// Take over from certbot (issue 12): certbot's config dir and, once
	// adopted (CertSource SourceCertbot), the lineage whose names httpsify
	// now renews. Stored with the lineage.
	CertbotDir     string
	CertbotLineage string
}

// Settings are validated Options: every string in here is safe to place
// in a configuration file.
type Settings struct {
	Host
	Request
}

// Layout is the state directory's layout: every path under it.
func (s *Settings) Layout() statedir.Layout { return statedir.Layout(s.StateDir) }

// Primary is the certificate's first name, which names its files.
func (s *Settings) Primary() string { return s.Domains[0] }

// SiteURL is the address people type for the site, with the port only
// when it is not 443.
func (s *Settings) SiteURL() string {
	if s.HTTPSPort == 443 {
		return "https://" + s.Primary()
	}
	return "https://" + s.Primary() + ":" + strconv.Itoa(s.HTTPSPort)
}

// FieldError names the option that was refused: Field is its flag name,
// one of the Flag constants (without the dashes).
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return i18n.T("--%s: %s", e.Field, e.Err.Error()) }
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field string, err error) error { return &FieldError{Field: field, Err: err} }

// Validate checks every option and returns the settings to run with. It
// touches nothing on disk, so a refusal changes nothing.
func (o Options) Validate() (*Settings, error) {
	return o.validate(true, true)
}

// CheckGiven validates every option that was given, as Validate does, but
// does not require the names: the wizard checks its flags before asking
// them, so a bad flag is refused at once, naming it.
func (o Options) CheckGiven() error {
	if o.Challenge != "dns-01" {
		// The wizard asks the challenge later: DNS-01's flags wait for it.
		if err := o.withoutDNS(); err != nil {
			return err
		}
		o.DNSProvider, o.DNSCredentialsFile, o.DNSResolvers, o.DNSTimeout, o.DNSNSPort = "", "", nil, 0, 0
		if slices.ContainsFunc(o.Domains, func(d string) bool { return strings.HasPrefix(d, "*.") }) {
			o.Challenge, o.DNSProvider = "dns-01", "manual" // a wildcard: DNS-01, whose provider comes later
		}
	}
	_, err := o.validate(true, len(o.Domains) > 0)
	return err
}

// validate is Validate; needEAB is false for a request read back from
// the state dir, whose account was registered (EAB is used only then);
// without names (CheckGiven) nothing that derives from them is checked.
func (o Options) validate(needEAB, names bool) (*Settings, error) {
	s := &Settings{Request: Request{AgreeTOS: o.AgreeTOS, HSTS: o.HSTS, HTTP2: !o.NoHTTP2, ForceRenew: o.ForceRenew}}
	var err error

	if len(o.Domains) == 0 && names {
		return nil, fieldErr(FlagDomain, i18n.Errorf("at least one domain name is required"))
	}
	s.Challenge = o.Challenge
	if s.Challenge == "" {
		s.Challenge = "http-01"
	}
	switch s.Challenge {
	case "http-01":
		if err := o.noDNSOptions(); err != nil {
			return nil, err
		}
	case "dns-01":
		if err := o.validateDNS(s); err != nil {
			return nil, err
		}
	default:
		return nil, fieldErr(FlagChallenge, i18n.Errorf("%q is not supported (use http-01 or dns-01)", o.Challenge))
	}
	wildcards := s.Challenge == "dns-01"
	for _, d := range o.Domains {
		if strings.HasPrefix(d, "*.") && !wildcards {
			return nil, fieldErr(FlagDomain, i18n.Errorf("%q: HTTP-01 cannot prove a wildcard (the CA would have to fetch a file from every possible name); DNS-01 can: use --challenge dns-01 --dns-provider CODE", d))
		}
	}
	if !names {
		s.Domains = nil
	} else if s.Domains, err = validate.Domains(o.Domains, wildcards); err != nil {
		return nil, fieldErr(FlagDomain, err)
	} else if s.Domains, err = concreteFirst(s.Domains); err != nil {
		return nil, fieldErr(FlagDomain, err)
	}
	if o.Upstream != "" {
		u, err := validate.ParseUpstream(o.Upstream)
		if err != nil {
			return nil, fieldErr(FlagUpstream, err)
		}
		s.Upstream = &u
	}
	if o.Email != "" {
		if s.Email, err = validate.Email(o.Email); err != nil {
			return nil, fieldErr(FlagEmail, err)
		}
	}
	if s.CADirectory, err = acme.ResolveCA(o.CA); err != nil {
		return nil, fieldErr(FlagCA, err)
	}
	if o.CARoot != "" {
		if s.CARoot, err = filepath.Abs(o.CARoot); err != nil {
			return nil, fieldErr(FlagCARoot, err)
		}
	}
	if (o.EABKid == "") != (o.EABHMAC == "") {
		return nil, fieldErr(FlagEABKid, i18n.Errorf("--eab-kid and --eab-hmac go together"))
	}
	if needEAB && acme.CANeedsEAB(s.CADirectory) && o.EABKid == "" {
		return nil, fieldErr(FlagEABKid, i18n.Errorf("this CA requires external account binding: pass --eab-kid and --eab-hmac from its dashboard"))
	}
	s.EABKid, s.EABHMAC = o.EABKid, o.EABHMAC
	if s.KeyType, err = keyTypeName(o.KeyType); err != nil {
		return nil, fieldErr(FlagKeyType, err)
	}
	switch o.TLSProfile {
	case "", "intermediate":
		s.TLSProfile = "intermediate"
	case "modern":
		s.TLSProfile = "modern"
	default:
		return nil, fieldErr(FlagTLSProfile, i18n.Errorf("%q is not a profile (intermediate or modern)", o.TLSProfile))
	}
	if o.ClientMaxBodySize != "" {
		if s.BodySize, err = validate.BodySize(o.ClientMaxBodySize); err != nil {
			return nil, fieldErr(FlagClientMaxBodySize, err)
		}
	}
	if err := o.validateUpload(s); err != nil {
		return nil, err
	}
	if err := validateRenewOptions(o, s); err != nil {
		return nil, err
	}
	if err := o.validateCertbot(s); err != nil {
		return nil, err
	}
	h, err := o.ValidateHost()
	if err != nil {
		return nil, err
	}
	s.Host = *h
	s.CertDirGiven = o.CertDir != ""
	if !names {
		if o.CertDir != "" {
			_, err = absPath(FlagCertDir, o.CertDir)
		}
		return s, err
	}
	if s.CertDir, err = absPath(FlagCertDir, cmp.Or(o.CertDir, statedir.Layout(s.StateDir).Live(s.Primary()))); err != nil {
		return nil, err
	}
	return s, nil
}

// ValidateHost checks the host options alone: what the wizard needs
// before any site is chosen (ports, directories, the web server).
func (o Options) ValidateHost() (*Host, error) {
	h := &Host{}
	var err error
	h.HTTPPort, h.HTTPSPort = cmp.Or(o.HTTPPort, 80), cmp.Or(o.HTTPSPort, 443)
	if err := validate.Port(h.HTTPPort); err != nil {
		return nil, fieldErr(FlagHTTPPort, err)
	}
	if err := validate.Port(h.HTTPSPort); err != nil {
		return nil, fieldErr(FlagHTTPSPort, err)
	}
	if h.HTTPPort == h.HTTPSPort {
		return nil, fieldErr(FlagHTTPSPort, i18n.Errorf("must differ from --http-port"))
	}
	if h.StateDir, err = absPath(FlagStateDir, cmp.Or(o.StateDir, DefaultStateDir)); err != nil {
		return nil, err
	}
	if h.ChallengeDir, err = absPath(FlagChallengeDir, cmp.Or(o.ChallengeDir, DefaultChallengeDir)); err != nil {
		return nil, err
	}
	if h.NginxConf, err = absPath(FlagNginxConf, cmp.Or(o.NginxConf, DefaultNginxConf)); err != nil {
		return nil, err
	}
	h.NginxBin = cmp.Or(o.NginxBin, "nginx")
	return h, nil
}

// absPath makes p absolute and checks it is safe to write into a config.
func absPath(field, p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fieldErr(field, err)
	}
	if abs, err = validate.Path(abs); err != nil {
		return "", fieldErr(field, err)
	}
	return abs, nil
}

func keyTypeName(k string) (string, error) {
	switch k {
	case "", "ec256":
		return "ec256", nil
	case "ec384", "rsa2048", "rsa4096":
		return k, nil
	}
	return "", i18n.Errorf("%q is not a key type (ec256, ec384, rsa2048, rsa4096)", k)
}
