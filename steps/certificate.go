package steps

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/acme"
	"github.com/httpsify/httpsify/provision/validate"
	"github.com/httpsify/httpsify/ui"
)

// Certificate (step 3) asks how to get the certificate: the challenge,
// the CA, an email, and agreement to the CA's terms, whose address is
// fetched from the CA itself.
type Certificate struct {
	st                     *State
	form                   *ui.Form
	method, ca, url, email *ui.Field
	eabKid, eabHMAC, agree *ui.Field
	certFile, keyFile      *ui.Field // issue 12: one's own certificate
	chainFile              *ui.Field
	err                    error

	termsDir string // the directory the terms below belong to
	terms    string
	termsErr error

	dns certificateDNS // DNS-01's provider and credentials (certificate_dns.go)
}

type termsTick struct{ dir string }
type termsDone struct {
	dir, url string
	err      error
}

const customCA = "custom"

func NewCertificate(st *State) *Certificate { return &Certificate{st: st} }

func (c *Certificate) Title() string { return i18n.T("Certificate") }

func (c *Certificate) Enter() tea.Cmd {
	st, o := c.st, c.st.Opts
	c.err = nil
	c.dns.picker, c.dns.cred = nil, nil
	method := cmp.Or(o.Challenge, "http-01")
	if o.CertFile != "" || o.KeepCertificate {
		method = ownMethod
	}
	c.method = ui.NewChoice(i18n.N("How the CA checks you control the names"), method,
		ui.Option{Label: i18n.T("HTTP-01: the CA fetches a file from this server on port %d (recommended)", st.Base.HTTPPort), Value: "http-01", Short: "HTTP-01"},
		c.dns.option(),
		ownOption(),
	)
	caValue, url := o.CA, ""
	if caValue == "" {
		caValue = acme.DefaultCA
	}
	if !isCAName(caValue) {
		caValue, url = customCA, o.CA
	}
	var cas []ui.Option
	for _, ca := range acme.CAs {
		cas = append(cas, ui.Option{Label: i18n.Tr(ca.Label), Value: ca.Name, Short: i18n.Tr(ca.Picked)})
	}
	c.ca = ui.NewChoice(i18n.N("Certificate authority (CA)"), caValue,
		append(cas, ui.Option{Label: i18n.N("Another ACME CA: type its directory URL"), Value: customCA, Short: i18n.N("another ACME CA")})...,
	)
	c.url = ui.NewText(i18n.N("ACME directory URL"), url)
	c.url.Placeholder = "https://acme.example.com/directory"
	c.url.Check = func(v string) (string, error) { _, err := acme.ResolveCA(v); return "", err }
	c.url.Hidden = func() bool { return c.ca.Value() != customCA }
	c.eabKid = ui.NewText(i18n.N("EAB key ID"), o.EABKid)
	c.eabKid.Check = nonEmpty(i18n.T("paste the key ID from the CA's dashboard"))
	c.eabKid.Hidden = func() bool { ca, ok := acme.ByName(c.ca.Value()); return !ok || !ca.NeedsEAB }
	c.eabHMAC = ui.NewText(i18n.N("EAB HMAC key"), o.EABHMAC)
	c.eabHMAC.Check = nonEmpty(i18n.T("paste the HMAC key from the CA's dashboard"))
	c.eabHMAC.Hidden = c.eabKid.Hidden
	c.eabHMAC.SetSecret()
	email, agreed := o.Email, o.AgreeTOS
	if email == "" && !agreed {
		// The account this server already has with the CA: its email,
		// and terms accepted when it was registered.
		if e, ok := acme.RememberedEmail(st.Base.StateDir, c.directory()); ok {
			email = e
		}
	}
	c.email = ui.NewText(i18n.N("Email (optional, recommended)"), email)
	c.email.Hint = i18n.N("For the CA's notices about your account. Let's Encrypt no longer mails expiry reminders: renewal is up to this server.")
	c.email.Placeholder = "you@example.com"
	c.email.Optional = true
	c.email.Check = checkEmail
	c.agree = ui.NewConfirm(i18n.N("Do you accept the CA's terms of service?"), agreed)
	c.agree.Require = i18n.N("the CA only issues certificates to accounts that accept its terms")
	// An account already registered with this CA accepted the terms
	// then: not asked again.
	c.agree.Hidden = c.registered
	c.termsDir = ""
	c.ownFields()
	c.form = ui.NewForm(st.Theme, st.Keys, c.method, c.certFile, c.keyFile, c.chainFile, c.ca, c.url, c.eabKid, c.eabHMAC, c.email, c.agree)
	// Start where an answer is needed: the email when there is none
	// yet, else the terms; Enter on pre-filled answers finishes.
	if d := st.takeDraft(c.Title()); d != nil {
		c.form.Restore(d) // back here after going back: what was typed
	}
	focus := c.email
	if c.email.Value() != "" {
		focus = c.agree
	}
	if c.own() {
		focus = c.certFile
	}
	return tea.Batch(c.form.Init(), c.form.FocusOn(focus), c.fetchTerms())
}

// registered: this server has an account with the chosen CA and email.
func (c *Certificate) registered() bool {
	return acme.AccountRegistered(c.st.Base.StateDir, c.directory(), c.email.Value())
}

// checkEmail refuses a malformed address in the email's own words.
func checkEmail(v string) (string, error) {
	if _, err := validate.Email(v); err != nil {
		return "", i18n.Errorf("not an email address the CA accepts (%v); leave it empty to register without one", err)
	}
	return "", nil
}

// directory is the ACME directory the form points at, "" while unknown.
func (c *Certificate) directory() string {
	v := c.ca.Value()
	if v == customCA {
		v = c.url.Value()
	}
	dir, err := acme.ResolveCA(v)
	if err != nil {
		return ""
	}
	return dir
}

// fetchTerms asks the chosen CA for its terms when the CA changed. An
// agreement given to another CA does not carry over.
func (c *Certificate) fetchTerms() tea.Cmd {
	dir := c.directory()
	if c.own() {
		dir = "" // no CA is asked
	}
	if dir == c.termsDir {
		return nil
	}
	if c.termsDir != "" {
		c.agree.Yes = false
	}
	c.termsDir, c.terms, c.termsErr = dir, "", nil
	c.updateTermsHint()
	if dir == "" {
		return nil
	}
	// Wait for typing to settle: a URL typed letter by letter would
	// otherwise send a request per letter.
	return tea.Tick(dnsDelay, func(time.Time) tea.Msg { return termsTick{dir} })
}

func (c *Certificate) askTerms(dir string) tea.Cmd {
	st := c.st
	set := st.caSettings(dir)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(st.Ctx, 15*time.Second)
		defer cancel()
		url, err := st.TermsURL(ctx, set)
		return termsDone{dir, url, err}
	}
}

func (c *Certificate) updateTermsHint() {
	switch {
	case c.termsDir == "":
		c.agree.Hint = i18n.N("Choose the CA first.")
	case c.termsErr != nil:
		c.agree.Hint = i18n.T("Could not fetch the terms' address from the CA (%s); see the CA's website.", c.termsErr.Error())
	case c.terms != "":
		c.agree.Hint = i18n.T("Terms: %s", c.terms)
	case c.termsDir != "":
		c.agree.Hint = i18n.N("Asking the CA for the address of its terms…")
	}
}

func (c *Certificate) Update(msg tea.Msg) tea.Cmd {
	if sz, ok := msg.(ui.SizeMsg); ok {
		c.dns.size = sz
	}
	switch msg.(type) {
	case termsTick, termsDone:
	default:
		if c.dns.active() {
			return c.updateDNS(msg)
		}
	}
	switch msg := msg.(type) {
	case termsTick:
		if msg.dir == c.termsDir {
			return c.askTerms(msg.dir)
		}
		return nil
	case termsDone:
		if msg.dir == c.termsDir {
			c.terms, c.termsErr = msg.url, msg.err
			if msg.err == nil && msg.url == "" {
				c.termsErr = i18n.Errorf("it names none")
			}
			c.updateTermsHint()
		}
		return nil
	case tea.KeyMsg:
		if key.Matches(msg, c.st.Keys.Back) {
			c.st.keepDraft(c.Title(), c.form)
			return ui.Back(1)
		}
		c.err = nil
		cmd, submitted := c.form.Update(msg)
		if submitted {
			if c.method.Value() == "dns-01" {
				return c.pickProvider() // then the credentials, then submit
			}
			return c.submit()
		}
		return tea.Batch(cmd, c.fetchTerms())
	}
	cmd, _ := c.form.Update(msg)
	return cmd
}

// submit stores the answers and builds the plan apply would build.
func (c *Certificate) submit() tea.Cmd { return submitForm(c.form, c.commit, &c.err) }

func (c *Certificate) commit() (string, *ui.Field, error) {
	if c.own() {
		return c.commitOwn()
	}
	c.clearOwn()
	st := c.st
	old := st.Opts
	o := &st.Opts
	o.Challenge = c.method.Value()
	o.CA = c.ca.Value()
	if o.CA == customCA {
		o.CA = c.url.Value()
	}
	o.EABKid, o.EABHMAC = "", ""
	if ca, ok := acme.ByName(o.CA); ok && ca.NeedsEAB {
		o.EABKid, o.EABHMAC = c.eabKid.Value(), c.eabHMAC.Value()
	}
	o.Email, o.AgreeTOS = c.email.Value(), c.agree.Yes || c.registered()
	c.setDNSOptions(o)
	if err := st.Settle(); err != nil {
		st.Opts = old
		var fe *provision.FieldError
		if errors.As(err, &fe) {
			switch fe.Field {
			case provision.FlagEmail:
				return "", c.email, err
			case provision.FlagCA:
				return "", c.url, err
			case provision.FlagEABKid:
				return "", c.eabKid, err
			}
		}
		return "", nil, err
	}
	sum := c.challengeSummary() + " · " + caLabel(o.CA)
	if o.Email != "" {
		sum += " · " + o.Email
	}
	return sum, nil, nil
}

// Questions: the form's fields in its order; the choice of method hides
// what does not apply.
func (c *Certificate) Questions() []*ui.Field {
	return []*ui.Field{c.method, c.certFile, c.keyFile, c.chainFile, c.ca, c.url, c.eabKid, c.eabHMAC, c.email, c.agree}
}

// Answered asks the chosen CA for its terms once the email is known, so
// the question about them can name their address.
func (c *Certificate) Answered(f *ui.Field) []string {
	if f != c.email {
		return nil
	}
	if dir := c.directory(); dir != "" && !c.own() {
		ctx, cancel := context.WithTimeout(c.st.Ctx, 15*time.Second)
		url, err := c.st.TermsURL(ctx, c.st.caSettings(dir))
		cancel()
		c.termsDir, c.terms, c.termsErr = dir, url, err
		c.updateTermsHint()
	}
	return nil
}

func (c *Certificate) Submit() (string, *ui.Field, error) { return c.commit() }

// lineMode: in line prompts the DNS provider and its credentials are
// asked after the form (askMore), not by the full-screen picker.
func (c *Certificate) lineMode() { c.dns.plain = true }

// askMore asks DNS-01's provider and credentials in line prompts.
func (c *Certificate) askMore(r *plain) error { return r.askDNS(c) }

// Typing: while a text field has focus "?" is a character, not help.
func (c *Certificate) Typing() bool { return c.dns.active() || c.form != nil && c.form.Typing() }

func (c *Certificate) Keys() []key.Binding {
	if ks := c.dns.keys(); ks != nil {
		return ks
	}
	k := c.st.Keys
	keys := []key.Binding{withHelp(k.Next, "enter", i18n.N("next"))}
	if f := c.form.Focused(); f != nil {
		switch f.Kind {
		case ui.ChoiceField:
			keys = append(keys, withHelp(k.Up, "↑/↓", i18n.N("choose")))
		case ui.ConfirmField:
			keys = append(keys, withHelp(k.Yes, "y/n", i18n.N("answer")))
		}
	}
	return append(keys, withHelp(k.PrevField, "shift+tab", i18n.N("previous")), k.Back)
}

func (c *Certificate) Help() string {
	return i18n.T("HTTP-01 is the usual way: the CA asks for a file under /.well-known/acme-challenge/ on port 80 of each name, and httpsify lets nginx serve it for the moment the check takes. DNS-01 instead proves the names with a TXT record in your DNS, created through your DNS provider's API (pick it, then type its credentials; ctrl+t checks them without ordering) or by you (manual): no port 80 needed, and the only way to get a wildcard (*.example.com). Let's Encrypt staging is for trying things out: its certificates are not trusted. Going on starts that check (step %d): nginx gets a temporary location and a reload, both undone right after; your site's files change only at step %d. With a certificate you already have (a provider's download), give its files instead: they are checked (the key matches, the chain is complete, the dates, the names) before anything is written, then installed like a CA's; they do not renew themselves.", StepIssue+1, StepConfirm+1)
}

func (c *Certificate) View(w, h int) string {
	if v, ok := c.dns.view(w, h); ok {
		return v
	}
	v := c.form.View(w)
	if c.err != nil {
		v += "\n\n" + ui.Paint(c.st.Theme.Fail, ui.Hang(ui.MarkFail+" ", planMessage(c.err), w))
	}
	return v
}

func isCAName(v string) bool {
	_, ok := acme.ByName(v)
	return ok
}

func caLabel(ca string) string {
	if c, ok := acme.ByName(cmp.Or(ca, acme.DefaultCA)); ok {
		return c.Short
	}
	return ca
}

// nonEmpty refuses an empty field with ask, e.g. "paste the key ID …".
func nonEmpty(ask string) func(string) (string, error) {
	return func(v string) (string, error) {
		if strings.TrimSpace(v) == "" {
			return "", errors.New(ask)
		}
		return "", nil
	}
}
