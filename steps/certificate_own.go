package steps

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/ui"
)

// "I already have a certificate" (issue 12): the user's .pem/.crt and
// .key (a provider's download, or the files the site's config names,
// offered as the default), checked by the engine while planning; its
// findings are shown in plain words next to the file at fault. Then the
// same issuance step (which only stores the files), preview, confirm and
// deploy as for a certificate from a CA.

const ownMethod = "own"

// own reports whether the user brings their own certificate.
func (c *Certificate) own() bool { return c.method != nil && c.method.Value() == ownMethod }

// ownOption is the method's choice for one's own certificate.
func ownOption() ui.Option {
	return ui.Option{Label: i18n.N("I already have a certificate: its .pem/.crt and .key files (a provider's download, or the files the site uses now)"), Value: ownMethod, Short: i18n.N("my own certificate")}
}

// ownFields makes the file fields, pre-filled from the flags, else from
// the files the site's config names, and hides the CA's questions while
// the user brings their own.
func (c *Certificate) ownFields() {
	st, o := c.st, c.st.Opts
	cert, key := o.CertFile, o.KeyFile
	if cert == "" && key == "" {
		cert, key = siteCertDefault(st)
	}
	c.certFile = ui.NewText(i18n.N("Certificate file (.pem or .crt: your certificate, usually followed by the intermediate)"), cert)
	c.certFile.Placeholder = "/etc/nginx/ssl/example.com/example.com.pem"
	c.certFile.Check = fileCheck
	c.keyFile = ui.NewText(i18n.N("Private key file (.key)"), key)
	c.keyFile.Placeholder = "/etc/nginx/ssl/example.com/example.com.key"
	c.keyFile.Check = fileCheck
	c.chainFile = ui.NewText(i18n.N("Chain file (optional: the intermediates, when the download has a separate ca_bundle or chain file)"), o.ChainFile)
	c.chainFile.Optional = true
	c.chainFile.Check = fileCheck
	if cert != "" && o.CertFile == "" {
		c.certFile.Hint = i18n.N("The files the site's configuration uses now; Enter keeps them.")
	}
	for _, f := range []*ui.Field{c.certFile, c.keyFile, c.chainFile} {
		f.Hidden = func() bool { return !c.own() }
	}
	for _, f := range []*ui.Field{c.ca, c.url, c.eabKid, c.eabHMAC, c.email, c.agree} {
		hidden := f.Hidden
		f.Hidden = func() bool { return c.own() || hidden != nil && hidden() }
	}
}

// fileCheck says what a typed path is, or why it cannot be used; the
// contents are checked when the answers are complete.
func fileCheck(v string) (string, error) {
	p, err := filepath.Abs(strings.TrimSpace(v))
	if err != nil {
		return "", err
	}
	st, err := os.Stat(p)
	switch {
	case err != nil:
		return "", i18n.Errorf("no such file: %s", p)
	case st.IsDir():
		return "", i18n.Errorf("%s is a directory; type the file's path", p)
	}
	return "", nil
}

// siteCertDefault is the certificate and key the chosen site's config
// names today (files httpsify did not write), "" when none.
func siteCertDefault(st *State) (cert, key string) {
	if st.Detection == nil || len(st.Opts.Domains) == 0 {
		return "", ""
	}
	o := st.Opts
	o.CertFile, o.KeyFile, o.ChainFile, o.KeepCertificate = "", "", "", false
	s, err := o.Validate()
	if err != nil {
		return "", ""
	}
	p, err := provision.BuildPlan(st.Detection, s)
	if err != nil {
		return "", ""
	}
	return p.SiteCert.Cert, p.SiteCert.Key
}

// commitOwn keeps the files and builds the plan: the engine's checks
// (key, chain, dates, names) refuse here, naming the file.
func (c *Certificate) commitOwn() (string, *ui.Field, error) {
	st := c.st
	old := st.Opts
	o := &st.Opts
	o.Challenge, o.EABKid, o.EABHMAC, o.KeepCertificate = "", "", "", false
	o.CertFile, o.KeyFile, o.ChainFile = strings.TrimSpace(c.certFile.Value()), strings.TrimSpace(c.keyFile.Value()), strings.TrimSpace(c.chainFile.Value())
	if err := st.Settle(); err != nil {
		st.Opts = old
		var fe *provision.FieldError
		if errors.As(err, &fe) {
			switch fe.Field {
			case provision.FlagCertFile:
				return "", c.certFile, err
			case provision.FlagKeyFile:
				return "", c.keyFile, err
			case provision.FlagChainFile:
				return "", c.chainFile, err
			}
		}
		return "", nil, err
	}
	return i18n.T("my own certificate · %s", o.CertFile), nil, nil
}

// clearOwn forgets the files when the user picks a CA after all.
func (c *Certificate) clearOwn() {
	o := &c.st.Opts
	o.CertFile, o.KeyFile, o.ChainFile, o.KeepCertificate = "", "", "", false
}
