package provision

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Probe is one request whose answer must not change with HTTPS: `/` (is
// the app there, does it still ask for a password) and a static file.
type Probe struct {
	Path string
	// Body: compare the content too. Only for files nginx serves from
	// disk; an app may print the scheme it was reached by.
	Body bool
}

// Answer is how the site answered a probe.
type Answer struct {
	Probe
	Reached  bool   // something answered at all
	Status   int    // HTTP status code
	Auth     string // WWW-Authenticate, "" when none
	Location string // redirect target with the site's own scheme and host removed
	Digest   string // sha256 of the body; "" when not compared or not stable
	Err      string // why nothing answered

	toHTTPS bool // the redirect goes to https on this same site
}

// Behaviour is how the site answered before the change. Verification
// insists that the same requests over https answer the same way: a site
// that still "reaches the app" may have lost its password or its limits.
type Behaviour []Answer

// RecordBehaviour asks the site, as it is now, each probe: over http on
// the HTTP port, following one redirect to this site's https. A body is
// fingerprinted only when two requests give the same bytes.
func RecordBehaviour(ctx context.Context, s *Settings, probes []Probe) Behaviour {
	var out Behaviour
	for _, p := range probes {
		a := fetchBefore(ctx, s, p)
		if a.Reached && p.Body {
			if again := fetchBefore(ctx, s, p); again.Digest != a.Digest {
				a.Digest = ""
			}
		}
		out = append(out, a)
	}
	return out
}

func fetchBefore(ctx context.Context, s *Settings, p Probe) Answer {
	a := fetch(ctx, s, "http", p)
	if a.Reached && a.Status == 400 && speaksTLS(ctx, s.HTTPPort, s.Primary()) {
		// `ssl on` made the HTTP port speak TLS: no browser ever got an
		// http answer there, the site was its https side.
		return fetch(ctx, s, "https", p)
	}
	if a.Reached && isRedirect(a.Status) && a.toHTTPS && a.Location == p.Path {
		// This site's own http→https redirect (the classic tutorial's
		// layout, or a rerun): what matters is what https answers.
		return fetch(ctx, s, "https", p)
	}
	return a
}

// speaksTLS reports whether a TLS handshake succeeds on a port.
func speaksTLS(ctx context.Context, port int, sni string) bool {
	_, _, err := servedChain(ctx, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), sni, 0, 0)
	return err == nil
}

// compareBehaviour checks the answers now, over https, against before.
func compareBehaviour(ctx context.Context, s *Settings, before Behaviour) []Check {
	var checks []Check
	for _, b := range before {
		if !b.Reached {
			continue // nothing answered before: nothing to keep
		}
		checks = append(checks, sameAnswer(b, fetch(ctx, s, "https", b.Probe)))
	}
	return checks
}

// sameAnswer is the verdict on one probe. An app that was down before and
// is down now is a warning, not httpsify's fault.
func sameAnswer(b, a Answer) Check {
	c := Check{Name: i18n.T("https answers %s as before", b.Path)}
	switch {
	case !a.Reached:
		c.Info = fmt.Sprintf("answered %s before, now nothing: %s", describe(b), a.Err)
	case isAppDown(b.Status) && isAppDown(a.Status):
		c.Warn, c.Info = true, fmt.Sprintf("%s, as before the change: the app is not answering; start it and the site works", describe(a))
	case isAppDown(b.Status):
		c.OK, c.Info = true, describe(a)+" (the app was down before)"
	case a.Status != b.Status:
		c.Info = fmt.Sprintf("answered %s before, %s now", describe(b), describe(a))
	case a.Auth != b.Auth:
		c.Info = fmt.Sprintf("asked for %q before, %q now", b.Auth, a.Auth)
	case a.Location != b.Location:
		c.Info = fmt.Sprintf("redirected to %s before, to %s now", b.Location, a.Location)
	case b.Digest != "" && a.Digest != b.Digest:
		c.Info = fmt.Sprintf("%s both times, but the content differs", describe(a))
	default:
		c.OK, c.Info = true, i18n.T("%s as before", describe(a))
	}
	return c
}

func describe(a Answer) string {
	d := strconv.Itoa(a.Status)
	if t := http.StatusText(a.Status); t != "" {
		d += " " + t
	}
	if a.Auth != "" {
		d += " (" + a.Auth + ")"
	}
	return d
}

func isAppDown(code int) bool { return code == 502 || code == 503 || code == 504 }

func isRedirect(code int) bool {
	return code == 301 || code == 302 || code == 303 || code == 307 || code == 308
}

// fetch sends one GET for the site to nginx on loopback, by scheme, and
// never follows redirects.
func fetch(ctx context.Context, s *Settings, scheme string, p Probe) Answer {
	a := Answer{Probe: p}
	port := s.HTTPPort
	if scheme == "https" {
		port = s.HTTPSPort
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{ServerName: s.Primary(), InsecureSkipVerify: true},
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{Timeout: 3 * time.Second}).DialContext(ctx, "tcp", addr)
		},
		DisableKeepAlives: true,
	}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Timeout: 10 * time.Second, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequestWithContext(ctx, "GET", scheme+"://"+s.Primary()+p.Path, nil)
	if err != nil {
		a.Err = err.Error()
		return a
	}
	resp, err := hc.Do(req)
	if err != nil {
		a.Err = err.Error()
		return a
	}
	defer resp.Body.Close()
	a.Reached, a.Status = true, resp.StatusCode
	a.Auth = resp.Header.Get("WWW-Authenticate")
	raw := resp.Header.Get("Location")
	a.Location = siteRelative(raw, s.Primary())
	a.toHTTPS = strings.HasPrefix(strings.ToLower(raw), "https://") && a.Location != raw
	if p.Body {
		h := sha256.New()
		if _, err := io.Copy(h, io.LimitReader(resp.Body, 8<<20)); err == nil {
			a.Digest = hex.EncodeToString(h.Sum(nil))
		}
	}
	return a
}

// siteRelative strips the scheme, host and port from a redirect to the
// site itself, so http://site/login before and https://site/login after
// compare equal; redirects elsewhere are kept whole.
func siteRelative(loc, host string) string {
	u, err := url.Parse(loc)
	if err != nil || u.Host == "" {
		return loc
	}
	if !strings.EqualFold(u.Hostname(), host) {
		return loc
	}
	u.Scheme, u.Host = "", ""
	return u.String()
}
