package main

import (
	"flag"
	"os"
	"strings"
	"time"

	"github.com/httpsify/httpsify/provision"
)

// domainList is a repeatable --domain flag (also accepts a,b lists).
type domainList []string

func (d *domainList) String() string { return strings.Join(*d, ",") }
func (d *domainList) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		*d = append(*d, strings.TrimSpace(part))
	}
	return nil
}

// globalFlags are shared by apply and the wizard, so a wizard run can be
// pointed at a sandbox and pre-filled.
func globalFlags(fs *flag.FlagSet, o *provision.Options) {
	fs.Var((*domainList)(&o.Domains), "domain", "domain name for the certificate (repeat for more; the first is primary)")
	fs.StringVar(&o.Upstream, "upstream", "", "the app: unix:/abs/path.sock, host:port or http(s)://host[:port][/path] (default: the site's current proxy_pass)")
	fs.StringVar(&o.Email, "email", "", "contact email for the CA account (expiry notices)")
	fs.BoolVar(&o.AgreeTOS, "agree-tos", false, "accept the CA's terms of service")
	fs.StringVar(&o.Challenge, "challenge", "http-01", "ACME challenge: http-01")
	fs.StringVar(&o.CA, "ca", "letsencrypt", "CA: letsencrypt, letsencrypt-staging, zerossl or an ACME directory URL")
	fs.StringVar(&o.CARoot, "ca-root", "", "PEM file of a private CA to trust for the ACME directory's TLS")
	fs.StringVar(&o.EABKid, "eab-kid", "", "external account binding key id (ZeroSSL and others)")
	fs.StringVar(&o.EABHMAC, "eab-hmac", "", "external account binding HMAC key (base64url); better: set "+eabHMACEnv+", which stays out of the process list")
	fs.StringVar(&o.KeyType, "key-type", "ec256", "certificate key: ec256, ec384, rsa2048, rsa4096")
	fs.StringVar(&o.CertDir, "cert-dir", "", "where the certificate files live (default <state-dir>/live/<domain>)")
	fs.StringVar(&o.TLSProfile, "tls-profile", "intermediate", "TLS policy: intermediate (TLS 1.2+1.3) or modern (TLS 1.3 only)")
	fs.BoolVar(&o.HSTS, "hsts", false, "send Strict-Transport-Security (hard to undo: browsers remember it for 2 years)")
	fs.BoolVar(&o.NoHTTP2, "no-http2", false, "do not enable HTTP/2")
	fs.StringVar(&o.ClientMaxBodySize, "client-max-body-size", "", "largest upload nginx accepts, e.g. 20m (default: keep the site's, else nginx's 1m)")
	fs.StringVar(&o.NginxConf, "nginx-conf", provision.DefaultNginxConf, "main config of the nginx to manage")
	fs.StringVar(&o.NginxBin, "nginx-bin", "nginx", "nginx binary")
	fs.IntVar(&o.HTTPPort, "http-port", 80, "HTTP port")
	fs.IntVar(&o.HTTPSPort, "https-port", 443, "HTTPS port")
	fs.StringVar(&o.StateDir, "state-dir", provision.DefaultStateDir, "where httpsify keeps accounts, certificates, backups and its lock")
	fs.StringVar(&o.ChallengeDir, "challenge-dir", provision.DefaultChallengeDir, "where nginx serves HTTP-01 challenge files from (root-owned, world-readable)")
	fs.BoolVar(&o.ForceRenew, "force-renew", false, "get a new certificate even if the installed one is still good")
}

// runFlags are how a run behaves rather than what it does; apply and
// the wizard both take them.
type runFlags struct {
	verbose bool
	wait    time.Duration
}

func (r *runFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&r.verbose, "verbose", false, "also show the ACME library's log")
	fs.DurationVar(&r.wait, "wait", 0, "wait this long for another httpsify run to finish instead of refusing")
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
