package provision

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
	"errors"
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
	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/termtext"
)

// Version is set by the build; it names the product to the CA.
var ProductVersion = "dev"

var legoKeyTypes = map[string]certcrypto.KeyType{
	"ec256": certcrypto.EC256, "ec384": certcrypto.EC384,
	"rsa2048": certcrypto.RSA2048, "rsa4096": certcrypto.RSA4096,
}

// acmeTransport makes every ACME request cancellable (lego v4 has no
// context of its own) and supplies a polling hint where the CA gives none.
type acmeTransport struct {
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

func (t acmeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
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

// acmeHTTPClient trusts the system roots plus --ca-root, if given.
func acmeHTTPClient(ctx context.Context, caRoot string) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if caRoot != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		pem, err := os.ReadFile(caRoot)
		if err != nil {
			return nil, fieldErr(FlagCARoot, err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fieldErr(FlagCARoot, fmt.Errorf("%s holds no PEM certificate", caRoot))
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	return &http.Client{Timeout: 30 * time.Second, Transport: acmeTransport{ctx, tr, new(atomic.Int32)}}, nil
}

// acmeClient connects to the CA with the saved (or a new) account.
//
// serverError reports the last 5xx status the CA answered with (0: none).
func acmeClient(ctx context.Context, s *Settings) (client *lego.Client, serverError func() int, err error) {
	acc, err := loadAccount(s.StateDir, s.CADirectory, s.Email)
	if err != nil {
		return nil, nil, fmt.Errorf("ACME account: %w", err)
	}
	hc, err := acmeHTTPClient(ctx, s.CARoot)
	if err != nil {
		return nil, nil, err
	}
	cfg := lego.NewConfig(acc)
	cfg.CADirURL = s.CADirectory
	cfg.HTTPClient = hc
	cfg.UserAgent = "httpsify/" + ProductVersion
	cfg.Certificate.KeyType = legoKeyTypes[s.KeyType]
	client, err = lego.NewClient(cfg)
	if err != nil {
		return nil, nil, &IssueError{Cause: CauseCAUnreachable, Err: fmt.Errorf("cannot reach the CA at %s: %w", s.CADirectory, termtext.Error(err))}
	}
	if acc.Registration == nil {
		if !s.AgreeTOS {
			return nil, nil, fieldErr(FlagAgreeTOS, fmt.Errorf("the CA's terms must be accepted to get a certificate; read them at %s", termtext.Line(cmp.Or(client.GetToSURL(), s.CADirectory))))
		}
		var reg *registration.Resource
		if s.EABKid != "" {
			reg, err = client.Registration.RegisterWithExternalAccountBinding(registration.RegisterEABOptions{TermsOfServiceAgreed: true, Kid: s.EABKid, HmacEncoded: s.EABHMAC})
		} else {
			reg, err = client.Registration.Register(registration.RegisterOptions{TermsOfServiceAgreed: true})
		}
		if err != nil {
			return nil, nil, &IssueError{Cause: CauseAccount, FromCA: true, Err: fmt.Errorf("registering an account with the CA: %w", termtext.Error(err))}
		}
		acc.Registration = reg
		if err := acc.save(); err != nil {
			return nil, nil, err
		}
	}
	status := hc.Transport.(acmeTransport).serverError
	return client, func() int { return int(status.Load()) }, nil
}

// TermsURL fetches the CA's terms of service URL (for the wizard).
func TermsURL(ctx context.Context, s *Settings) (string, error) {
	hc, err := acmeHTTPClient(ctx, s.CARoot)
	if err != nil {
		return "", err
	}
	cfg := lego.NewConfig(&account{key: dummyKey()})
	cfg.CADirURL, cfg.HTTPClient = s.CADirectory, hc
	client, err := lego.NewClient(cfg)
	if err != nil {
		return "", termtext.Error(err)
	}
	return termtext.Line(client.GetToSURL()), nil // the CA's text, shown to root
}

// obtain runs the ACME order with the challenge provider set. It runs
// lego in a goroutine so ctx cancels it at once.
func obtain(ctx context.Context, client *lego.Client, s *Settings) (*certificate.Resource, error) {
	type result struct {
		res *certificate.Resource
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := client.Certificate.Obtain(certificate.ObtainRequest{Domains: s.Domains, Bundle: true})
		done <- result{res, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, fmt.Errorf("the CA did not issue the certificate: %w", termtext.Error(r.err))
		}
		return r.res, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// bundleOf splits lego's bundled result into the files nginx and others want.
func bundleOf(res *certificate.Resource) (certstore.Bundle, error) {
	certs, err := certcrypto.ParsePEMBundle(res.Certificate)
	if err != nil || len(certs) == 0 {
		return certstore.Bundle{}, errors.New("the CA returned no certificate")
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
