package provision

// Flag names of `httpsify apply` and the wizard, without the dashes.
// cmd/httpsify declares its flags with these and ApplyArgs prints them,
// so the equivalent command a summary shows always parses.
const (
	FlagDomain            = "domain"
	FlagUpstream          = "upstream"
	FlagEmail             = "email"
	FlagAgreeTOS          = "agree-tos"
	FlagChallenge         = "challenge"
	FlagCA                = "ca"
	FlagCARoot            = "ca-root"
	FlagEABKid            = "eab-kid"
	FlagEABHMAC           = "eab-hmac"
	FlagKeyType           = "key-type"
	FlagCertDir           = "cert-dir"
	FlagTLSProfile        = "tls-profile"
	FlagHSTS              = "hsts"
	FlagNoHTTP2           = "no-http2"
	FlagClientMaxBodySize = "client-max-body-size"
	FlagNginxConf         = "nginx-conf"
	FlagNginxBin          = "nginx-bin"
	FlagHTTPPort          = "http-port"
	FlagHTTPSPort         = "https-port"
	FlagStateDir          = "state-dir"
	FlagChallengeDir      = "challenge-dir"
	FlagForceRenew        = "force-renew"
	FlagYes               = "yes"
	// Bring your own certificate (issue 12).
	FlagCertFile        = "cert-file"
	FlagKeyFile         = "key-file"
	FlagChainFile       = "chain-file"
	FlagKeepCertificate = "keep-certificate"

	// DNS-01 (issue 11)
	FlagDNSProvider    = "dns-provider"
	FlagDNSCredentials = "dns-credentials"
	FlagDNSResolver    = "dns-resolver"
	FlagDNSTimeout     = "dns-timeout"
	FlagDNSNSPort      = "dns-ns-port"

	// renew (issue 10)
	FlagACMEProfile = "profile"     // renew (issue 10)
	FlagDeployHook  = "deploy-hook" // renew (issue 10)
	FlagSchedule    = "schedule"    // renew (issue 10)

	// Take over from certbot (issue 12): certbot's --config-dir.
	FlagCertbotDir = "certbot-dir"
	// remove (issue 10)
	FlagKeepConfig = "keep-config"
	FlagDryRun     = "dry-run"
	// FlagScheduleRoot is the file system root the renewal schedule lives
	// under (hidden: for images, chroots and tests).
	FlagScheduleRoot = "schedule-root"
)

// language of every message (issue 13)
const FlagLang = "lang"
