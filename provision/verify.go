package provision

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/termtext"
)

// Check is one verification result, shown to the user line by line.
type Check struct {
	Name string
	OK   bool
	Warn bool // failed, but not something httpsify broke (the app is down)
	Info string
}

// Line is the check as one line: its name, and what was seen when that
// says more than the name.
func (c Check) Line() string {
	if c.Info == "" {
		return c.Name
	}
	return i18n.T("%s: %s", c.Name, c.Info)
}

// VerifyError lists the checks that failed.
type VerifyError struct{ Checks []Check }

func (e *VerifyError) Error() string {
	var b strings.Builder
	b.WriteString(i18n.T("the site did not pass verification:"))
	for _, c := range e.Checks {
		if !c.OK && !c.Warn {
			fmt.Fprintf(&b, "\n  ✗ %s", c.Line())
		}
	}
	return b.String()
}

// Verify checks what a browser would see, on loopback with the domain as
// SNI: the new certificate and its chain, TLS 1.3 on and TLS 1.0/1.1 off,
// the port-80 redirect, and the app behind https. The reload is
// asynchronous, so the certificate check waits up to timeout for it.
//
// before is how the site answered before the change: each of those
// requests must answer the same over https. Without it (a new site) the
// check is that https reaches the app.
func Verify(ctx context.Context, s *Settings, leaf *x509.Certificate, chainLen int, before Behaviour, upstreamWasUp bool, timeout time.Duration) ([]Check, error) {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(s.HTTPSPort))
	checks := servedLeafChecks(ctx, s, leaf, chainLen, timeout)
	// Old workers keep answering for a moment after a reload: poll until
	// every check passes or the deadline.
	deadline := time.Now().Add(timeout)
	var rest []Check
	for {
		rest = protocolChecks(ctx, s, addr)
		rest = append(rest, checkRedirect(ctx, s, s.Primary()))
		if kept := compareBehaviour(ctx, s, before); len(kept) > 0 {
			rest = append(rest, kept...)
		} else {
			rest = append(rest, checkUpstream(ctx, s, s.Primary(), upstreamWasUp))
		}
		if allOK(rest) || time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	checks = append(checks, rest...)
	for _, c := range checks {
		if !c.OK && !c.Warn {
			return checks, &VerifyError{Checks: checks}
		}
	}
	return checks, nil
}

func protocolChecks(ctx context.Context, s *Settings, addr string) []Check {
	name := s.Primary()
	_, _, err13 := servedChain(ctx, addr, name, tls.VersionTLS13, tls.VersionTLS13)
	checks := []Check{{Name: i18n.T("TLS 1.3 offered"), OK: err13 == nil, Info: errInfo(err13, "")}}
	_, _, err11 := servedChain(ctx, addr, name, tls.VersionTLS10, tls.VersionTLS11)
	checks = append(checks, Check{Name: i18n.T("TLS 1.0/1.1 refused"), OK: err11 != nil, Info: map[bool]string{true: "", false: i18n.T("TLS 1.1 was accepted")}[err11 != nil]})
	if s.TLSProfile == "intermediate" {
		_, _, err12 := servedChain(ctx, addr, name, tls.VersionTLS12, tls.VersionTLS12)
		checks = append(checks, Check{Name: i18n.T("TLS 1.2 offered"), OK: err12 == nil, Info: errInfo(err12, "")})
	}
	return checks
}

func allOK(checks []Check) bool {
	for _, c := range checks {
		if !c.OK && !c.Warn {
			return false
		}
	}
	return true
}

func errInfo(err error, ok string) string {
	if err != nil {
		return err.Error()
	}
	return ok
}

// servedChain does a TLS handshake and returns the leaf and chain length.
// Trust is not checked here: the leaf is compared byte for byte instead.
func servedChain(ctx context.Context, addr, sni string, minV, maxV uint16) (*x509.Certificate, int, error) {
	d := tls.Dialer{NetDialer: &net.Dialer{Timeout: 3 * time.Second}, Config: &tls.Config{
		ServerName: sni, InsecureSkipVerify: true, MinVersion: minV, MaxVersion: maxV,
	}}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, 0, err
	}
	defer c.Close()
	st := c.(*tls.Conn).ConnectionState()
	if len(st.PeerCertificates) == 0 {
		return nil, 0, errors.New("no certificate served")
	}
	return st.PeerCertificates[0], len(st.PeerCertificates), nil
}

func checkRedirect(ctx context.Context, s *Settings, name string) Check {
	c := Check{Name: i18n.T("http redirects to https")}
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://127.0.0.1:"+strconv.Itoa(s.HTTPPort)+"/httpsify-check?x=1", nil)
	req.Host = name
	hc := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		c.Info = err.Error()
		return c
	}
	resp.Body.Close()
	want := "https://" + name
	if s.HTTPSPort != 443 {
		want += ":" + strconv.Itoa(s.HTTPSPort)
	}
	want += "/httpsify-check?x=1"
	loc := resp.Header.Get("Location")
	c.OK = (resp.StatusCode == 301 || resp.StatusCode == 308) && loc == want
	c.Info = fmt.Sprintf("%d → %s", resp.StatusCode, loc)
	if c.OK { // the probe's own path means nothing to the user
		c.Info = i18n.T("%d → %s, path and query kept", resp.StatusCode, strings.TrimSuffix(want, "httpsify-check?x=1"))
	}
	return c
}

func checkUpstream(ctx context.Context, s *Settings, name string, wasUp bool) Check {
	c := Check{Name: i18n.T("https reaches the app")}
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{ServerName: name, InsecureSkipVerify: true},
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{Timeout: 3 * time.Second}).DialContext(ctx, "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(s.HTTPSPort)))
		},
	}
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequestWithContext(ctx, "GET", "https://"+name+"/", nil)
	resp, err := (&http.Client{Timeout: 10 * time.Second, Transport: tr}).Do(req)
	if err != nil {
		c.Info = err.Error()
		return c
	}
	resp.Body.Close()
	c.Info = termtext.Line(resp.Status) // the app's reason phrase
	switch resp.StatusCode {
	case 502, 503, 504:
		if !wasUp {
			// wasUp was observed of the address now proxied to, which
			// may not be the one the site used before: name it.
			at := "the app address"
			if s.Upstream != nil {
				at = s.Upstream.String()
			}
			c.Warn, c.Info = true, termtext.Line(resp.Status)+" — nothing answered at "+at+" before the change either; start the app there and the site works"
		}
	default:
		c.OK = true
	}
	return c
}

// servedLeafChecks checks, for every name, that a TLS client on loopback
// with the name as SNI gets exactly leaf and its chain. The reload is
// asynchronous, so each check waits up to timeout.
func servedLeafChecks(ctx context.Context, s *Settings, leaf *x509.Certificate, chainLen int, timeout time.Duration) []Check {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(s.HTTPSPort))
	var checks []Check
	for _, name := range s.Domains {
		c := Check{Name: i18n.T("certificate served for %s", name)}
		deadline := time.Now().Add(timeout)
		for {
			got, n, err := servedChain(ctx, addr, name, 0, 0)
			switch {
			case err != nil:
				c.Info = err.Error()
			case !bytes.Equal(got.Raw, leaf.Raw):
				c.Info = i18n.T("an older certificate is served (serial %s, expires %s)", got.SerialNumber.Text(16), got.NotAfter.Format("2006-01-02"))
			case n < 1+chainLen:
				c.Info = i18n.T("the chain is incomplete: %d of %d certificates sent", n, 1+chainLen)
			default:
				c.OK, c.Info = true, i18n.T("expires %s, %s sent", leaf.NotAfter.Format("2006-01-02"), count(n-1, i18n.N("intermediate"), i18n.N("intermediates")))
			}
			if c.OK || time.Now().After(deadline) || ctx.Err() != nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		checks = append(checks, c)
	}
	return checks
}
