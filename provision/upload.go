package provision

import (
	"bytes"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/certbot"
	"github.com/httpsify/httpsify/provision/certcheck"
	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/termtext"
)

// Bring your own certificate (issue 12): a certificate the user already
// has (a provider's download, or the files the site's config names) is
// checked by certcheck before anything is written, then staged and linked
// exactly like an ACME one. It cannot renew itself: the stored request
// says so (CertSource), for status and renew.

// SourceUploaded marks a certificate the user brought.
const SourceUploaded = "uploaded"

// Uploaded reports whether the run installs the user's own certificate.
func (r *Request) Uploaded() bool { return r.CertSource == SourceUploaded }

// validateUpload checks the BYO options: the pair goes together, the
// chain needs the pair, --keep-certificate takes neither.
func (o Options) validateUpload(s *Settings) error {
	if o.KeepCertificate {
		if o.CertFile != "" || o.KeyFile != "" || o.ChainFile != "" {
			return fieldErr(FlagKeepCertificate, i18n.Errorf("reuses the files the site's config names: leave out --cert-file, --key-file and --chain-file"))
		}
		s.KeepCertificate, s.CertSource = true, SourceUploaded
		return nil
	}
	if o.CertFile == "" && o.KeyFile == "" {
		if o.ChainFile != "" {
			return fieldErr(FlagChainFile, i18n.Errorf("goes with --cert-file and --key-file"))
		}
		return nil
	}
	if o.CertFile == "" {
		return fieldErr(FlagCertFile, i18n.Errorf("required with --key-file: the certificate (.pem or .crt)"))
	}
	if o.KeyFile == "" {
		return fieldErr(FlagKeyFile, i18n.Errorf("required with --cert-file: the certificate's private key (.key)"))
	}
	var err error
	if s.CertFile, err = absPath(FlagCertFile, o.CertFile); err != nil {
		return err
	}
	if s.KeyFile, err = absPath(FlagKeyFile, o.KeyFile); err != nil {
		return err
	}
	if o.ChainFile != "" {
		if s.ChainFile, err = absPath(FlagChainFile, o.ChainFile); err != nil {
			return err
		}
	}
	s.CertSource = SourceUploaded
	return nil
}

// CertCheckError is a refusal of the user's files: every error certcheck
// found, so they can fix them all at once.
type CertCheckError struct {
	Findings []certcheck.Finding
}

func (e *CertCheckError) Error() string {
	var lines []string
	for _, f := range e.Findings {
		lines = append(lines, FindingText(f))
	}
	if len(lines) == 1 {
		// FieldError already names the file's flag.
		return strings.TrimPrefix(lines[0], string(e.Findings[0].Field)+": ")
	}
	return i18n.T("the certificate files cannot be installed:\n  %s", strings.Join(lines, "\n  "))
}

// FindingText is one finding in plain words: the flag, what is wrong,
// what to do. The text comes from the user's files (names, URLs), so it
// is made safe for a terminal.
func FindingText(f certcheck.Finding) string {
	s := string(f.Field) + ": " + f.Message
	if f.Hint != "" {
		s += " (" + f.Hint + ")"
	}
	return termtext.Line(s)
}

// CheckUpload runs certcheck on the files s names. It only reads. Any
// error finding comes back as a FieldError naming the first file at fault
// (exit 2), holding a CertCheckError with all of them.
func CheckUpload(s *Settings) (*certcheck.Result, error) {
	in := certcheck.Input{CertFile: s.CertFile, KeyFile: s.KeyFile, ChainFile: s.ChainFile, Domains: s.Domains, Now: time.Now()}
	if s.CARoot != "" {
		roots, err := trustedRoots(s)
		if err != nil {
			return nil, err
		}
		in.ExtraRoots = roots
	}
	res := certcheck.Check(in)
	if errs := res.Errors(); len(errs) > 0 {
		field := FlagCertFile
		if s.KeepCertificate {
			field = FlagKeepCertificate
		} else if f := strings.TrimPrefix(string(errs[0].Field), "--"); f != "" {
			field = f
		}
		return &res, fieldErr(field, &CertCheckError{Findings: errs})
	}
	return &res, nil
}

// planUpload decides the certificate of a BYO run: the files are checked
// now, while planning, so a refusal comes before anything is written, and
// no certificate is ordered. For an ACME run it reports what is wrong with
// the certificate the site serves today (files httpsify did not write).
func planUpload(p *Plan) error {
	s := p.Settings
	if s.KeepCertificate {
		if p.SiteCert.Cert == "" {
			// Rerun after a keep: the site names httpsify's copy now; the
			// files it came from are in the stored request.
			if r, err := LoadRequest(s.Layout(), s.Primary()); err == nil && r.Uploaded() {
				p.SiteCert = SiteCertFiles{Cert: r.CertFile, Key: r.KeyFile}
				s.ChainFile = r.ChainFile
			}
		}
		if p.SiteCert.Cert == "" {
			return fieldErr(FlagKeepCertificate, i18n.Errorf("the site's config names no certificate of its own to keep (no ssl_certificate outside httpsify's files); give --cert-file and --key-file, or leave both out to get one from the CA"))
		}
		if certbotFile(p.SiteCert.Cert) || inCertbotDir(p.SiteCert.Cert, s.CertbotDir) {
			// A copy would stop following certbot's renewals and expire.
			return fieldErr(FlagKeepCertificate, i18n.Errorf("the site uses certbot's certificate (%s), which certbot renews in place; a copy kept by httpsify would not follow and would expire: leave out --keep-certificate to let httpsify get and renew the certificate itself", termtext.Line(p.SiteCert.Cert)))
		}
		s.CertFile, s.KeyFile = p.SiteCert.Cert, p.SiteCert.Key
	}
	if !s.Uploaded() {
		p.Warnings = append(p.Warnings, siteCertWarnings(p)...)
		return nil
	}
	res, err := CheckUpload(s)
	if err != nil {
		return err
	}
	p.Upload, p.Issue = res, false
	if certbotFile(s.CertFile) || inCertbotDir(s.CertFile, s.CertbotDir) {
		p.Warnings = append(p.Warnings, i18n.T("--cert-file is certbot's, which certbot renews in place: httpsify installs a copy of today's files, which will not follow certbot's renewals"))
	}
	for _, f := range res.Findings {
		if f.Severity != certcheck.Error {
			p.Warnings = append(p.Warnings, FindingText(f))
		}
	}
	return nil
}

// siteCertWarnings: expiry and chain problems of the certificate the
// site's config names now, when httpsify did not write it and the files
// can be read.
func siteCertWarnings(p *Plan) []string {
	c := p.SiteCert
	if c.Cert == "" || c.Key == "" {
		return nil
	}
	in := certcheck.Input{CertFile: c.Cert, KeyFile: c.Key, Domains: p.Settings.Domains, Now: time.Now()}
	if p.Settings.CARoot != "" {
		// A private CA's certificate (--ca-root) chains to that root.
		in.ExtraRoots, _ = trustedRoots(p.Settings)
	}
	res := certcheck.Check(in)
	var out []string
	for _, f := range res.Findings {
		switch f.Kind {
		case certcheck.KindExpired, certcheck.KindExpiresSoon, certcheck.KindNotYetValid,
			certcheck.KindIntermediateMissing, certcheck.KindUntrustedRoot, certcheck.KindChainInvalid,
			certcheck.KindKeyMismatch:
			out = append(out, termtext.Line(i18n.T("the certificate the site serves now (%s): %s", c.Cert, f.Message)))
		}
	}
	return out
}

// SiteCertFiles are the certificate and key a site's TLS block names
// today, when httpsify did not write them.
type SiteCertFiles struct {
	Cert, Key string
}

// stageUpload stores the checked bundle as a version directory, unless
// the installed version already holds exactly these files: a rerun with
// the same files writes nothing.
func (x *Session) stageUpload(p *Plan) (*Issued, error) {
	b := p.Upload.Bundle
	from, whose := p.Settings.CertFile, i18n.N("your")
	if p.Certbot != nil && p.Certbot.Adopt {
		from, whose = p.Certbot.Fullchain, i18n.N("certbot's")
	}
	if cur := p.CurrentCert; cur != "" && sameVersion(cur, b) {
		leaf, n, err := certstore.ReadVersion(cur)
		if err != nil {
			return nil, err
		}
		x.Sink.emit(PhaseIssue, KindOK, "the installed certificate is the one in %s; nothing to store", from)
		return &Issued{VersionDir: cur, Leaf: leaf, ChainLen: n}, nil
	}
	x.Sink.emit(PhaseInstall, KindStart, "storing %s certificate (from %s)", i18n.Tr(whose), from)
	dir, err := certstore.Stage(p.ArchiveDir, certstore.Bundle{Cert: b.Cert, Chain: b.Chain, Fullchain: b.Fullchain, Key: b.Key})
	if err != nil {
		return nil, err
	}
	leaf, n, err := certstore.ReadVersion(dir)
	if err != nil {
		return nil, err
	}
	x.Sink.emit(PhaseIssue, KindOK, "%s certificate for %s is stored, valid until %s", i18n.Tr(whose), names(leaf), leaf.NotAfter.Format("2006-01-02"))
	return &Issued{New: true, VersionDir: dir, Leaf: leaf, ChainLen: n}, nil
}

// sameVersion: the version directory holds exactly the bundle's files.
func sameVersion(dir string, b *certcheck.Bundle) bool {
	for name, want := range map[string][]byte{"fullchain.pem": b.Fullchain, "privkey.pem": b.Key} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, want) {
			return false
		}
	}
	return true
}

func names(leaf *x509.Certificate) string {
	return termtext.Line(strings.Join(leaf.DNSNames, ", "))
}

// acmeOnly are the flags that mean nothing for one's own certificate
// (apply refuses them next to --cert-file), with whether they take a value.
var acmeOnly = map[string]bool{FlagACMEProfile: true, FlagCA: true, FlagEABKid: true, FlagEABHMAC: true, FlagChallenge: true, FlagKeyType: true, FlagForceRenew: false, FlagDNSProvider: true, FlagDNSCredentials: true, FlagDNSResolver: true, FlagDNSTimeout: true, FlagDNSNSPort: true}

// uploadArgs drops the ACME-only flags from an apply line and names the
// certificate's files instead.
func uploadArgs(a []string, s *Settings) []string {
	var out []string
	for i := 0; i < len(a); i++ {
		if v, ok := acmeOnly[strings.TrimPrefix(a[i], "--")]; ok && strings.HasPrefix(a[i], "--") {
			if v {
				i++
			}
			continue
		}
		out = append(out, a[i])
	}
	out = append(out, "--"+FlagCertFile, s.CertFile, "--"+FlagKeyFile, s.KeyFile)
	if s.ChainFile != "" {
		out = append(out, "--"+FlagChainFile, s.ChainFile)
	}
	return out
}

// certbotFile: path is in certbot's default tree, whose files certbot
// replaces on renewal.
func certbotFile(path string) bool {
	return strings.HasPrefix(path, certbot.DefaultDir+"/live/") || strings.HasPrefix(path, certbot.DefaultDir+"/archive/")
}
