package provision

import (
	"github.com/httpsify/httpsify/provision/certcheck"
	"github.com/httpsify/httpsify/provision/txn"
	"github.com/httpsify/httpsify/provision/validate"
)

// Role is what a file change is for, so a preview never has to guess it
// from the Why text.
type Role int

const (
	RoleSite        Role = iota + 1 // the HTTPS site (its file, or its sites-enabled link)
	RoleServerTLS                   // a server-wide TLS fix (old protocols removed)
	RoleChallenge                   // temporary: answers the CA's HTTP-01 challenge
	RoleCertificate                 // the link to the certificate version
)

// FileChange is one file a plan writes, removes or links, with what is
// there now so a preview can show a diff.
type FileChange struct {
	txn.Change
	Role    Role
	Shown   string // the path the server knows it by (a sites-enabled link, say)
	Old     []byte // current content; nil when the file does not exist
	Existed bool
	Why     string
}

// Plan is everything a run will do. The same value drives --dry-run,
// apply and the wizard's preview.
type Plan struct {
	Settings  *Settings
	Detection *Detection

	// Issue is false when the installed certificate already covers the
	// names and is far from expiry: reruns never hammer the CA.
	Issue bool
	// Webroot is where the site's HTTP-01 files are served from, also in
	// the final config (renewals answer there).
	Webroot string
	// Challenge is how the CA will check the names; nil when no
	// certificate is to be issued. HTTP-01 carries its temporary edits.
	Challenge Challenge
	// Files are the final changes: the site and any global TLS fix.
	Files []FileChange
	// SiteFile is where the HTTPS site is written.
	SiteFile string
	// ArchiveDir holds certificate versions; CertDir links to the current.
	ArchiveDir string
	Upstream   string // the proxy_pass written, for display
	// BodySize is the upload limit the site ends up with: the one asked
	// for, the one the site had, or the server's default.
	BodySize string
	// CurrentCert is the certificate version the install location links
	// to now, "" when none.
	CurrentCert string
	Warnings    []string

	// App is what Upstream was rendered from, nil when the site's own
	// location is carried verbatim; CheckApp probes it.
	App *validate.Upstream

	// Bring your own certificate (issue 12). SiteCert is what the site's
	// TLS block names today when httpsify did not write it (the server
	// fills it in PlanSite); Upload is certcheck's verdict on the files a
	// BYO run installs, nil for an ACME run.
	SiteCert SiteCertFiles
	Upload   *certcheck.Result

	// Certbot is the certbot lineage the site is taken over from (issue
	// 12), nil when it is not certbot's.
	Certbot *CertbotTakeover
}

// ChallengeEdits are the temporary edits that let the running server
// answer HTTP-01 before the CA is asked; none when it already does, when
// lego's own listener answers, or for another challenge.
func (p *Plan) ChallengeEdits() []FileChange {
	if h, ok := p.Challenge.(HTTP01Server); ok {
		return h.Edits
	}
	return nil
}

// Commands lists what the run executes, for the preview.
func (p *Plan) Commands() [][]string {
	d := p.Detection
	return [][]string{d.Server.TestCommand(d), d.Server.ReloadCommand(d)}
}

// ChallengePath is where HTTP-01 challenge files are served.
const ChallengePath = "/.well-known/acme-challenge/"

// BuildPlan decides every change from the detection and settings. It
// writes nothing and probes nothing but the install location, once per
// Detection (siteCert), so the wizard can rebuild it on every toggle: the
// server plans the site's edits from what Detect read and, when a
// certificate is to be issued, the challenge plans its part.
func BuildPlan(d *Detection, s *Settings) (*Plan, error) {
	p := &Plan{
		Settings:   s,
		Detection:  d,
		Webroot:    s.ChallengeDir,
		ArchiveDir: s.Layout().Archive(s.Primary()),
	}
	cert := d.siteCert(s)
	if cert.dirErr != nil {
		return nil, cert.dirErr
	}
	p.CurrentCert, p.Issue = cert.current, cert.issue
	if cert.why != "" && !s.Uploaded() {
		p.Warnings = append(p.Warnings, cert.why)
	}
	if err := d.Server.PlanSite(p); err != nil {
		return nil, err
	}
	if err := planUpload(p); err != nil {
		return nil, err
	}
	if err := planTakeover(p); err != nil {
		return nil, err
	}
	if p.Issue {
		ch, err := planChallenge(p)
		if err != nil {
			return nil, err
		}
		if err := ch.Plan(p); err != nil {
			return nil, err
		}
		p.Challenge = ch
	}
	return p, nil
}
