package acme

import (
	"bytes"
	"cmp"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/go-acme/lego/v4/certcrypto"
	"github.com/go-acme/lego/v4/certificate"
	"github.com/go-acme/lego/v4/lego"
	"github.com/go-acme/lego/v4/registration"
	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/termtext"
)

// ProductVersion is set by the build; it names the product to the CA.
var ProductVersion = "dev"

// Config is what connecting to a CA needs.
type Config struct {
	Directory string // the ACME directory URL
	CARoot    string // PEM file trusted for the directory's TLS, "" for the system's
	StateDir  string // where accounts are kept
	Email     string
	AgreeTOS  bool
	EABKid    string
	EABHMAC   string
	KeyType   string // ec256, ec384, rsa2048, rsa4096
}

// CARootError: the --ca-root file cannot be used.
type CARootError struct{ Err error }

func (e *CARootError) Error() string { return e.Err.Error() }
func (e *CARootError) Unwrap() error { return e.Err }

// TermsError: the account does not exist yet and its terms were not
// agreed to.
type TermsError struct{ TermsURL string }

func (e *TermsError) Error() string {
	return fmt.Sprintf("the CA's terms must be accepted to get a certificate; read them at %s", e.TermsURL)
}

// UnreachableError: the CA's directory could not be fetched.
type UnreachableError struct {
	Directory string
	Err       error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach the CA at %s: %v", e.Directory, e.Err)
}
func (e *UnreachableError) Unwrap() error { return e.Err }

// RegisterError: the CA refused to create the account.
type RegisterError struct{ Err error }

func (e *RegisterError) Error() string { return "registering an account with the CA: " + e.Err.Error() }
func (e *RegisterError) Unwrap() error { return e.Err }

// ObtainError: the CA did not issue the certificate; Err is lego's.
type ObtainError struct{ Err error }

func (e *ObtainError) Error() string { return "the CA did not issue the certificate: " + e.Err.Error() }
func (e *ObtainError) Unwrap() error { return e.Err }

// Client is a connection to a CA with the account in use.
type Client struct {
	lego        *lego.Client
	serverError *atomic.Int32
}

// ServerError is the last 5xx status the CA answered with (0: none): lego
// reports a 5xx without a problem document only as text.
func (c *Client) ServerError() int { return int(c.serverError.Load()) }

// Lego is the lego client, for setting the challenge solver.
func (c *Client) Lego() *lego.Client { return c.lego }

var legoKeyTypes = map[string]certcrypto.KeyType{
	"ec256": certcrypto.EC256, "ec384": certcrypto.EC384,
	"rsa2048": certcrypto.RSA2048, "rsa4096": certcrypto.RSA4096,
}

// transport makes every ACME request cancellable (lego v4 has no
// context of its own) and supplies a polling hint where the CA gives none.
type transport struct {
	ctx  context.Context
	base http.RoundTripper
	// serverError is the last 5xx status the CA answered with, for
	// classifyIssue (lego reports a 5xx without a problem document only
	// as text).
	serverError *atomic.Int32
}

// pollHint is the Retry-After assumed for a challenge when the CA sends
// none; lego would otherwise wait 5 s before its first poll. lego backs
// off from it, so this is one request a second at first, as certbot does.
const pollHint = "1"

func (t transport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r.WithContext(t.ctx))
	if err == nil && resp.StatusCode >= 500 && t.serverError != nil {
		t.serverError.Store(int32(resp.StatusCode))
	}
	if err != nil || r.Method != http.MethodPost || resp.StatusCode != http.StatusOK || resp.Header.Get("Retry-After") != "" {
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if isChallenge(body) {
		resp.Header.Set("Retry-After", pollHint)
	}
	return resp, nil
}

// isChallenge recognises an ACME challenge object (RFC 8555 §8).
func isChallenge(body []byte) bool {
	var c struct {
		Type  string `json:"type"`
		Token string `json:"token"`
	}
	return json.Unmarshal(body, &c) == nil && c.Token != "" && c.Type != ""
}

// HTTPClient trusts the system roots plus caRoot, if given.
func HTTPClient(ctx context.Context, caRoot string) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if caRoot != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		pem, err := os.ReadFile(caRoot)
		if err != nil {
			return nil, &CARootError{err}
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &CARootError{i18n.Errorf("%s holds no PEM certificate", caRoot)}
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	return &http.Client{Timeout: 30 * time.Second, Transport: transport{ctx, tr, new(atomic.Int32)}}, nil
}

// Connect reaches the CA with the saved (or a new) account, registering
// it when it does not exist yet.
func Connect(ctx context.Context, c Config) (*Client, error) {
	acc, err := loadAccount(c.StateDir, c.Directory, c.Email)
	if err != nil {
		return nil, fmt.Errorf("ACME account: %w", err)
	}
	hc, err := HTTPClient(ctx, c.CARoot)
	if err != nil {
		return nil, err
	}
	// Taken now: lego wraps the client's transport in its own.
	status := hc.Transport.(transport).serverError
	cfg := lego.NewConfig(acc)
	cfg.CADirURL = c.Directory
	cfg.HTTPClient = hc
	cfg.UserAgent = "httpsify/" + ProductVersion
	cfg.Certificate.KeyType = legoKeyTypes[c.KeyType]
	client, err := lego.NewClient(cfg)
	if err != nil {
		return nil, &UnreachableError{Directory: c.Directory, Err: termtext.Error(err)}
	}
	if acc.Registration == nil {
		if !c.AgreeTOS {
			return nil, &TermsError{TermsURL: termtext.Line(cmp.Or(client.GetToSURL(), c.Directory))}
		}
		var reg *registration.Resource
		if c.EABKid != "" {
			reg, err = client.Registration.RegisterWithExternalAccountBinding(registration.RegisterEABOptions{TermsOfServiceAgreed: true, Kid: c.EABKid, HmacEncoded: c.EABHMAC})
		} else {
			reg, err = client.Registration.Register(registration.RegisterOptions{TermsOfServiceAgreed: true})
		}
		if err != nil {
			return nil, &RegisterError{termtext.Error(err)}
		}
		acc.Registration = reg
		if err := acc.save(); err != nil {
			return nil, err
		}
	}
	return &Client{lego: client, serverError: status}, nil
}

// TermsURL fetches the CA's terms of service URL (for the wizard).
func TermsURL(ctx context.Context, directory, caRoot string) (string, error) {
	hc, err := HTTPClient(ctx, caRoot)
	if err != nil {
		return "", err
	}
	cfg := lego.NewConfig(&account{key: dummyKey()})
	cfg.CADirURL, cfg.HTTPClient = directory, hc
	client, err := lego.NewClient(cfg)
	if err != nil {
		return "", termtext.Error(err)
	}
	return termtext.Line(client.GetToSURL()), nil // the CA's text, shown to root
}

// Obtain runs the ACME order for domains with the challenge solver set.
// It runs lego in a goroutine so ctx cancels it at once.
func (c *Client) Obtain(ctx context.Context, domains []string) (*certificate.Resource, error) {
	return c.ObtainOrder(ctx, Order{Domains: domains})
}

// ObtainOrder is Obtain with the order's options (see Order).
func (c *Client) ObtainOrder(ctx context.Context, o Order) (*certificate.Resource, error) {
	domains := o.Domains
	type result struct {
		res *certificate.Resource
		err error
	}
	done := make(chan result, 1)
	go func() {
		req := certificate.ObtainRequest{Domains: domains, Bundle: true, Profile: o.Profile, ReplacesCertID: o.ReplacesCertID}
		res, err := c.lego.Certificate.Obtain(req)
		if err != nil && req.ReplacesCertID != "" && replacementRefused(err) {
			// The replacement is a courtesy to the CA: an order it
			// refuses as one is placed again as a plain order.
			legoLogger{}.out("the CA refused the order as a replacement (" + termtext.Line(err.Error()) + "); ordering again without naming the old certificate")
			req.ReplacesCertID = ""
			res, err = c.lego.Certificate.Obtain(req)
		}
		done <- result{res, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			if o.Profile != "" && isInvalidProfile(r.err) {
				return nil, &ProfileError{Profile: o.Profile, Err: termtext.Error(r.err)}
			}
			return nil, &ObtainError{termtext.Error(r.err)}
		}
		return r.res, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Bundle splits lego's bundled result into the files nginx and others want.
func Bundle(res *certificate.Resource) (certstore.Bundle, error) {
	certs, err := certcrypto.ParsePEMBundle(res.Certificate)
	if err != nil || len(certs) == 0 {
		return certstore.Bundle{}, i18n.Errorf("the CA returned no certificate")
	}
	leaf := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: certs[0].Raw})
	var chain []byte
	for _, c := range certs[1:] {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return certstore.Bundle{Cert: leaf, Chain: chain, Fullchain: append(append([]byte(nil), leaf...), chain...), Key: res.PrivateKey}, nil
}

// dummyKey lets lego read the directory before any account exists.
func dummyKey() *ecdsa.PrivateKey {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	return k
}
