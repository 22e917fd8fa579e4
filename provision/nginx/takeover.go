package nginx

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/nginxconf"
	"github.com/httpsify/httpsify/provision/termtext"
	"github.com/httpsify/httpsify/provision/tlsaudit"
)

// Taking over a hand-installed TLS site (issue 12): before the managed
// region replaces its TLS lines, say what is wrong with them today (ssl
// on, old protocols, weak suites) and note the certificate files it names
// when httpsify did not write them, for --keep-certificate and the
// expiry/chain check of the current certificate.

// auditTimeout bounds the openssl runs that expand cipher lists.
const auditTimeout = 5 * time.Second

// takeoverFindings fills p.SiteCert and adds tlsaudit's findings about
// sv's current TLS settings to p.Warnings. A block httpsify manages
// already carries its settings: nothing to report.
func takeoverFindings(p *Plan, d *Detection, sv *nginxconf.Server, s *Settings) {
	if sv == nil || sv.Managed || !sv.SSL {
		return
	}
	p.SiteCert = siteCertFiles(d, sv, s)
	fs := auditServer(d, sv)
	for _, f := range fs {
		// The config's own text: cleaned for the terminal.
		p.Warnings = append(p.Warnings, termtext.Line("today's TLS settings ("+where(d.Config, sv)+"): "+f.Message))
	}
	if len(fs) > 0 {
		p.Warnings = append(p.Warnings, "these TLS settings are replaced by TLS 1.2/1.3 with modern suites")
	}
}

// siteCertFiles returns the certificate and key sv names, unless they are
// httpsify's own (under the install location or the state dir) or not
// plain file paths (variables, data:).
func siteCertFiles(d *Detection, sv *nginxconf.Server, s *Settings) provision.SiteCertFiles {
	var c provision.SiteCertFiles
	for _, e := range sv.All {
		if len(e.D.Args) != 1 {
			continue
		}
		switch e.D.Name {
		case "ssl_certificate":
			if c.Cert == "" {
				c.Cert = e.D.Args[0]
			}
		case "ssl_certificate_key":
			if c.Key == "" {
				c.Key = e.D.Args[0]
			}
		}
	}
	abs := func(f string) string {
		if f == "" || strings.ContainsAny(f, "$") || strings.HasPrefix(f, "data:") || strings.HasPrefix(f, "engine:") {
			return ""
		}
		if !filepath.IsAbs(f) {
			// nginx resolves relative paths against its configuration's directory.
			f = filepath.Join(filepath.Dir(d.Conf), f)
		}
		return filepath.Clean(f)
	}
	c.Cert, c.Key = abs(c.Cert), abs(c.Key)
	if c.Cert == "" || c.Key == "" || within(s.CertDir, c.Cert) || within(s.StateDir, c.Cert) {
		return provision.SiteCertFiles{}
	}
	return c
}

func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}

// auditServer runs tlsaudit over sv's TLS directives and the http-level
// ones it inherits.
func auditServer(d *Detection, sv *nginxconf.Server) []tlsaudit.Finding {
	in := tlsaudit.Input{NginxVersion: d.Version.String()}
	for _, h := range d.Config.HTTP {
		in.HTTP = append(in.HTTP, tlsaudit.Directive{Name: h.Name, Args: h.Args})
	}
	for _, e := range sv.All {
		in.Server = append(in.Server, tlsaudit.Directive{Name: e.D.Name, Args: e.D.Args})
	}
	ctx, cancel := context.WithTimeout(context.Background(), auditTimeout)
	defer cancel()
	return tlsaudit.Audit(ctx, in, tlsaudit.OpenSSL{})
}

// shortKinds are the few words the wizard's first screen shows per
// finding; kinds not listed are told at planning, in full.
var shortKinds = map[tlsaudit.Kind]string{
	tlsaudit.KindSSLOn:            "ssl on",
	tlsaudit.KindOldProtocols:     "old TLS versions",
	tlsaudit.KindNoTLS13:          "no TLS 1.3",
	tlsaudit.KindBrokenCiphers:    "broken ciphers",
	tlsaudit.KindNoForwardSecrecy: "weak ciphers",
	tlsaudit.KindNonAEAD:          "weak ciphers",
	tlsaudit.KindBroadCipherAlias: "loose cipher list",
}

// annotateTLSByHand fills each site's TLSByHand from its TLS blocks that
// httpsify does not manage.
func annotateTLSByHand(d *Detection) {
	if d.Config == nil {
		return
	}
	for i := range d.Sites {
		site := &d.Sites[i]
		for _, sv := range d.Config.Servers {
			if sv.Managed || !sv.SSL || !sameNames(validNames(sv.Names), site.Names) {
				continue
			}
			for _, f := range auditServer(d, sv) {
				if w, ok := shortKinds[f.Kind]; ok && !slices.Contains(site.TLSByHand, w) {
					site.TLSByHand = append(site.TLSByHand, w)
				}
			}
		}
	}
}

func sameNames(a, b []string) bool { return strings.Join(a, " ") == strings.Join(b, " ") }
