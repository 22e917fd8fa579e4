package main

import (
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/acme"
	"github.com/httpsify/httpsify/provision/schedule"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Every flag of every command is declared in this file, once. --help,
// the man pages and the shell completions are generated from these
// declarations, and the names of the flags that change what a run does
// are provision's Flag* constants, which ApplyArgs prints. To add one:
// a constant in provision/flagnames.go, a line in optionFlags (or a
// line in the function of the command that takes it), and, if the wizard
// can set it, a line in provision.ApplyArgs.

// optionFlags say what a run does. apply and the wizard both take them;
// in the wizard they pre-fill its answers.
func optionFlags(fs *pflag.FlagSet, o *provision.Options) {
	fs.Var((*domainList)(&o.Domains), provision.FlagDomain, i18n.T("domain name for the certificate (repeat for more; the first is primary)"))
	fs.StringVar(&o.Upstream, provision.FlagUpstream, "", i18n.T("the app: unix:/abs/path.sock, host:port or http(s)://host[:port][/path] (default: the site's current proxy_pass)"))
	fs.StringVar(&o.Email, provision.FlagEmail, "", i18n.T("contact email for the CA account (expiry notices)"))
	fs.BoolVar(&o.AgreeTOS, provision.FlagAgreeTOS, false, i18n.T("accept the CA's terms of service"))
	fs.StringVar(&o.Challenge, provision.FlagChallenge, "http-01", i18n.T("ACME challenge: http-01, or dns-01 (no port 80 needed; the only one for wildcards *.example.com)"))
	fs.StringVar(&o.CA, provision.FlagCA, "letsencrypt", i18n.T("CA: letsencrypt, letsencrypt-staging, zerossl or an ACME directory URL"))
	fs.StringVar(&o.CARoot, provision.FlagCARoot, "", i18n.T("PEM file of a private CA to trust for the ACME directory's TLS"))
	fs.StringVar(&o.EABKid, provision.FlagEABKid, "", i18n.T("external account binding key id (ZeroSSL and others)"))
	fs.StringVar(&o.EABHMAC, provision.FlagEABHMAC, "", i18n.T("external account binding HMAC key (base64url); better: set %s, which stays out of the process list", eabHMACEnv))
	fs.StringVar(&o.KeyType, provision.FlagKeyType, "ec256", i18n.T("certificate key: ec256, ec384, rsa2048, rsa4096"))
	fs.StringVar(&o.CertDir, provision.FlagCertDir, "", i18n.T("where the certificate files live (default STATE-DIR/live/DOMAIN)"))
	fs.StringVar(&o.TLSProfile, provision.FlagTLSProfile, "intermediate", i18n.T("TLS policy: intermediate (TLS 1.2+1.3) or modern (TLS 1.3 only)"))
	fs.BoolVar(&o.HSTS, provision.FlagHSTS, false, i18n.T("send Strict-Transport-Security (hard to undo: browsers remember it for 2 years)"))
	fs.BoolVar(&o.NoHTTP2, provision.FlagNoHTTP2, false, i18n.T("do not enable HTTP/2"))
	fs.StringVar(&o.ClientMaxBodySize, provision.FlagClientMaxBodySize, "", i18n.T("largest upload nginx accepts, e.g. 20m (default: keep the site's, else nginx's 1m)"))
	fs.StringVar(&o.NginxConf, provision.FlagNginxConf, provision.DefaultNginxConf, i18n.T("main config of the nginx to manage"))
	fs.StringVar(&o.NginxBin, provision.FlagNginxBin, "nginx", i18n.T("nginx binary"))
	fs.IntVar(&o.HTTPPort, provision.FlagHTTPPort, 80, i18n.T("HTTP port"))
	fs.IntVar(&o.HTTPSPort, provision.FlagHTTPSPort, 443, i18n.T("HTTPS port"))
	fs.StringVar(&o.StateDir, provision.FlagStateDir, provision.DefaultStateDir, i18n.T("where httpsify keeps accounts, certificates, backups and its lock"))
	fs.StringVar(&o.ChallengeDir, provision.FlagChallengeDir, provision.DefaultChallengeDir, i18n.T("where nginx serves HTTP-01 challenge files from (root-owned, world-readable)"))
	fs.BoolVar(&o.ForceRenew, provision.FlagForceRenew, false, i18n.T("get a new certificate even if the installed one is still good"))
	fs.StringVar(&o.CertFile, provision.FlagCertFile, "", i18n.T("install your own certificate instead of asking a CA: the .pem/.crt (leaf, may include the intermediates)"))
	fs.StringVar(&o.KeyFile, provision.FlagKeyFile, "", i18n.T("the private key of --cert-file (.key)"))
	fs.StringVar(&o.ChainFile, provision.FlagChainFile, "", i18n.T("the intermediates of --cert-file when the provider ships them separately (ca_bundle, chain)"))
	fs.BoolVar(&o.KeepCertificate, provision.FlagKeepCertificate, false, i18n.T("keep the certificate the site's config already names and modernise only its TLS settings"))
	fs.StringVar(&o.ACMEProfile, provision.FlagACMEProfile, "", i18n.T("the CA's ACME profile, e.g. shortlived at Let's Encrypt (default: the CA's choice); stored for renewals"))
	fs.StringVar(&o.DeployHook, provision.FlagDeployHook, "", i18n.T("shell command run after each successful renewal (e.g. to restart a mail server using the certificate); stored"))
	dnsFlags(fs, o)
	fs.StringVar(&o.CertbotDir, provision.FlagCertbotDir, "/etc/letsencrypt", i18n.T("certbot's config dir: a site using certbot's certificate from there is taken over (certbot's renewal of it is switched off after httpsify's first renewal)"))
}

// dnsFlags are the DNS-01 challenge's (issue 11).
func dnsFlags(fs *pflag.FlagSet, o *provision.Options) {
	fs.StringVar(&o.DNSProvider, provision.FlagDNSProvider, "", i18n.T("with --challenge dns-01: your DNS provider's code (httpsify dns-providers), or manual to add the TXT records by hand"))
	fs.StringVar(&o.DNSCredentialsFile, provision.FlagDNSCredentials, "", i18n.T("file of the provider's KEY=VALUE credentials (mode 0600); default: the provider's own variables from the environment"))
	fs.StringArrayVar(&o.DNSResolvers, provision.FlagDNSResolver, nil, i18n.T("DNS server HOST:PORT for finding the zone and checking propagation (repeatable; default: /etc/resolv.conf's). Not --dns-server, which is the wizard's check that the name points here"))
	fs.DurationVar(&o.DNSTimeout, provision.FlagDNSTimeout, 0, i18n.T("how long to wait for the TXT records to reach every authoritative server (default: the provider's own, or 2m)"))
	fs.IntVar(&o.DNSNSPort, provision.FlagDNSNSPort, 0, i18n.T("port the zone's authoritative servers answer on (default 53; only private test zones differ)"))
}

// renewFlags are renew's own.
type renewFlags struct {
	stateDir, domain        string
	force, dryRun, fromTime bool
	profile, deployHook     string
	verbose                 bool
	wait                    time.Duration
}

func (r *renewFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&r.stateDir, provision.FlagStateDir, provision.DefaultStateDir, i18n.T("where httpsify keeps the sites it manages"))
	fs.StringVar(&r.domain, provision.FlagDomain, "", i18n.T("renew only this site (its primary name)"))
	fs.BoolVar(&r.force, "force", false, i18n.T("renew even when not due"))
	fs.BoolVar(&r.dryRun, "dry-run", false, i18n.T("say what is due and why; write nothing and ask no CA"))
	fs.BoolVar(&r.fromTime, "from-timer", false, i18n.T("run by the timer: wait a random delay (up to 3 minutes) first"))
	fs.StringVar(&r.profile, provision.FlagACMEProfile, "", i18n.T("store this ACME profile for the sites and use it"))
	fs.StringVar(&r.deployHook, provision.FlagDeployHook, "", i18n.T("store this deploy hook for the sites (run after each successful renewal)"))
	fs.BoolVar(&r.verbose, "verbose", false, i18n.T("also show the ACME library's log"))
	fs.DurationVar(&r.wait, "wait", 0, i18n.T("wait this long for another httpsify run to finish instead of refusing"))
}

// runFlags are how a run behaves rather than what it does; apply and
// the wizard both take them.
type runFlags struct {
	verbose  bool
	wait     time.Duration
	schedule string // renew (issue 10)
}

func (r *runFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&r.verbose, "verbose", false, i18n.T("also show the ACME library's log"))
	fs.DurationVar(&r.wait, "wait", 0, i18n.T("wait this long for another httpsify run to finish instead of refusing"))
	fs.StringVar(&r.schedule, provision.FlagSchedule, "auto", i18n.T("after a verified deploy, install what runs `httpsify renew` twice a day: auto (systemd, else cron), systemd, cron or none"))
}

// scheduleSpec is --schedule for the engine.
func (r *runFlags) scheduleSpec() (*provision.ScheduleSpec, error) {
	m, err := schedule.ParseMode(r.schedule)
	if err != nil {
		return nil, err
	}
	return &provision.ScheduleSpec{Mode: m}, nil
}

// applyFlags are apply's own.
type applyFlags struct {
	dryRun, full, yes bool
}

func (a *applyFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&a.dryRun, "dry-run", false, i18n.T("print the plan (a unified diff of every file, every command) and change nothing"))
	fs.BoolVar(&a.full, "full", false, i18n.T("with --dry-run: also print every file's whole new content"))
	fs.BoolVar(&a.yes, provision.FlagYes, false, i18n.T("apply without asking for confirmation"))
}

// wizardFlags are the wizard's own: how it draws and checks.
type wizardFlags struct {
	noColor, accessible bool
	dnsServer           string
}

func (w *wizardFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&w.noColor, "no-color", false, i18n.T("no colours (also NO_COLOR=1, which sudo drops)"))
	fs.BoolVar(&w.accessible, "accessible", false, i18n.T("plain line prompts, e.g. for screen readers (automatic when TERM=dumb)"))
	fs.StringVar(&w.dnsServer, "dns-server", "", i18n.T("DNS server (host:port) for the name check (does the name point here?); default: this machine's resolver. DNS-01's propagation checks use --dns-resolver"))
}

// completeOptionValues tells the shells what the option flags accept:
// the CA and profile names, and files or directories for the paths.
func completeOptionValues(c *cobra.Command) {
	words := func(ws ...string) cobra.CompletionFunc {
		return cobra.FixedCompletions(ws, cobra.ShellCompDirectiveNoFileComp)
	}
	for name, f := range map[string]cobra.CompletionFunc{
		provision.FlagCA:         words(acme.CANames...),
		provision.FlagTLSProfile: words(slices.Sorted(maps.Keys(provision.Profiles))...),
		provision.FlagCertDir:    dirs,
		provision.FlagStateDir:   dirs,
		provision.FlagCertbotDir: dirs,
	} {
		_ = c.RegisterFlagCompletionFunc(name, f)
	}
	for _, name := range []string{provision.FlagCARoot, provision.FlagNginxConf, provision.FlagNginxBin, provision.FlagCertFile, provision.FlagKeyFile, provision.FlagChainFile} {
		_ = c.MarkFlagFilename(name)
	}
}

func dirs(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveFilterDirs
}

// domainList is a repeatable --domain flag (also accepts a,b lists).
type domainList []string

func (d *domainList) String() string { return strings.Join(*d, ",") }
func (d *domainList) Type() string   { return "name" }
func (d *domainList) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		*d = append(*d, strings.TrimSpace(part))
	}
	return nil
}

// eabHMACEnv carries the EAB secret without putting it on the command
// line, where every local user can read it in the process list.
const eabHMACEnv = "HTTPSIFY_EAB_HMAC"

// secretsFromEnv fills secrets the flags left empty from the environment
// and removes them from it, so no child process can inherit them (the
// engine also gives children an allowlisted environment).
func secretsFromEnv(o *provision.Options) {
	if o.EABHMAC == "" {
		o.EABHMAC = os.Getenv(eabHMACEnv)
	}
	os.Unsetenv(eabHMACEnv)
}

// statusFlags are `httpsify status`'s.
type statusFlags struct {
	json     bool
	stateDir string
	domain   string
}

func (f *statusFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&f.json, "json", false, i18n.T("print JSON (times in RFC 3339) instead of a table"))
	fs.StringVar(&f.stateDir, provision.FlagStateDir, provision.DefaultStateDir, i18n.T("where httpsify keeps accounts, certificates, backups and its lock"))
	fs.StringVar(&f.domain, provision.FlagDomain, "", i18n.T("only this site (its first name)"))
}

// rollbackFlags are `httpsify rollback`'s own; it also takes the host
// flags (hostFlags) and the run flags.
type rollbackFlags struct {
	domain string
	yes    bool
}

func (f *rollbackFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.domain, provision.FlagDomain, "", i18n.T("the site to roll back (its first name); optional when httpsify manages one site"))
	fs.BoolVar(&f.yes, provision.FlagYes, false, i18n.T("roll back without asking for confirmation"))
}

// hostFlags say which web server and state dir a command works on,
// without a site: the same flags and defaults as optionFlags.
func hostFlags(fs *pflag.FlagSet, o *provision.Options) {
	fs.StringVar(&o.NginxConf, provision.FlagNginxConf, provision.DefaultNginxConf, i18n.T("main config of the nginx to manage"))
	fs.StringVar(&o.NginxBin, provision.FlagNginxBin, "nginx", i18n.T("nginx binary"))
	fs.IntVar(&o.HTTPPort, provision.FlagHTTPPort, 80, i18n.T("HTTP port"))
	fs.IntVar(&o.HTTPSPort, provision.FlagHTTPSPort, 443, i18n.T("HTTPS port"))
	fs.StringVar(&o.StateDir, provision.FlagStateDir, provision.DefaultStateDir, i18n.T("where httpsify keeps accounts, certificates, backups and its lock"))
	fs.StringVar(&o.ChallengeDir, provision.FlagChallengeDir, provision.DefaultChallengeDir, i18n.T("where nginx serves HTTP-01 challenge files from (root-owned, world-readable)"))
}

// langFlag declares --lang on the root for every command; setLanguage
// has read it already, cobra only accepts it.
func langFlag(fs *pflag.FlagSet) {
	fs.String(provision.FlagLang, "", i18n.T("language of every message: en or zh (default: from LC_ALL, LC_MESSAGES or LANG)"))
}

// removeFlags are `httpsify remove`'s own (issue 10); it also takes the
// host flags (hostFlags).
type removeFlags struct {
	domain       string
	keepConfig   bool
	dryRun, yes  bool
	verbose      bool
	wait         time.Duration
	scheduleRoot string
}

func (f *removeFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.domain, provision.FlagDomain, "", i18n.T("the site to remove (its first name)"))
	fs.BoolVar(&f.keepConfig, provision.FlagKeepConfig, false, i18n.T("leave the site's config and certificate as they are (it keeps serving HTTPS) and only stop managing it: httpsify will not renew its certificate"))
	fs.BoolVar(&f.dryRun, provision.FlagDryRun, false, i18n.T("print what would change and change nothing"))
	fs.BoolVar(&f.yes, provision.FlagYes, false, i18n.T("remove without asking for confirmation"))
	fs.BoolVar(&f.verbose, "verbose", false, i18n.T("show every step"))
	fs.DurationVar(&f.wait, "wait", 0, i18n.T("wait this long for another httpsify run to finish instead of refusing"))
	fs.StringVar(&f.scheduleRoot, provision.FlagScheduleRoot, "/", i18n.T("the file system root the renewal schedule lives under"))
	fs.MarkHidden(provision.FlagScheduleRoot)
}
