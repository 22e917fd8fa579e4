package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

// corpusProbe is one request a visitor might send. Every corpus site gets
// all of them, before and after apply: whatever a request answered
// before, it must answer the same afterwards.
type corpusProbe struct {
	Name, Method, Path, Host string
	Auth                     bool // send admin:secret
	Body                     int  // bytes to POST
}

func corpusProbes(domain string) []corpusProbe {
	return []corpusProbe{
		{Name: "home", Method: "GET", Path: "/"},
		{Name: "home with password", Method: "GET", Path: "/", Auth: true},
		{Name: "query", Method: "GET", Path: "/search?q=a%20b&page=2"},
		{Name: "static file", Method: "GET", Path: "/static/app.css"},
		{Name: "index.html", Method: "GET", Path: "/index.html"},
		{Name: "php", Method: "GET", Path: "/index.php"},
		{Name: "missing", Method: "GET", Path: "/no-such-page"},
		{Name: "api", Method: "GET", Path: "/api/v1/items", Auth: true},
		{Name: "upload 2 MiB", Method: "POST", Path: "/upload", Auth: true, Body: 2 << 20},
		{Name: "unknown host", Method: "GET", Path: "/", Host: "unknown.test"},
		{Name: "by address", Method: "GET", Path: "/", Host: "127.0.0.1"},
	}
}

// probeAnswer is what a visitor ends up with: the scheme it was reached
// by and everything else that must not change.
type probeAnswer struct {
	Scheme  string
	Status  int
	Headers string // the headers users rely on, normalised
	Digest  string // of the body with scheme details normalised
	body    string
}

func (a probeAnswer) same(b probeAnswer) bool {
	return a.Status == b.Status && a.Headers == b.Headers && a.Digest == b.Digest
}

// keptHeaders are the response headers a site's behaviour shows in.
var keptHeaders = []string{"WWW-Authenticate", "Location", "Content-Type", "X-Backend", "X-Frame-Options", "X-Content-Type-Options", "Cache-Control"}

// visit does what a browser typing http://host/path does: ask port 80;
// when that redirects to https on the same host and path, follow it
// there. A site that speaks https before httpsify (the classic tutorial's)
// is thus compared on what it served over https.
func visit(sb *sandbox.Sandbox, p corpusProbe) (probeAnswer, error) {
	host := p.Host
	if host == "" {
		host = sb.Domain
	}
	a, loc, err := ask(sb, "http", host, p)
	if err != nil {
		return a, err
	}
	if a.Status == 400 && strings.Contains(a.body, "The plain HTTP request was sent to HTTPS port") {
		// `ssl on` made port 80 speak TLS: no browser got an http answer,
		// the site was its https side.
		a, _, err = ask(sb, "https", host, p)
		return a, err
	}
	if a.Status >= 300 && a.Status < 400 {
		if u, err := url.Parse(loc); err == nil && u.Scheme == "https" && u.Hostname() == host && u.RequestURI() == p.Path {
			a, _, err = ask(sb, "https", host, p)
			return a, err
		}
	}
	return a, nil
}

// visitAfter is visit once the site is HTTPS: requests for the site go
// to https as its links and forms now do; other hosts as before.
func visitAfter(sb *sandbox.Sandbox, p corpusProbe) (probeAnswer, error) {
	if p.Host != "" {
		return visit(sb, p)
	}
	a, _, err := ask(sb, "https", sb.Domain, p)
	return a, err
}

// redirectOf is where http sends a browser for path.
func redirectOf(sb *sandbox.Sandbox, path string) (int, string, error) {
	a, loc, err := ask(sb, "http", sb.Domain, corpusProbe{Method: "GET", Path: path})
	return a.Status, loc, err
}

func ask(sb *sandbox.Sandbox, scheme, host string, p corpusProbe) (probeAnswer, string, error) {
	port := sb.HTTPPort
	if scheme == "https" {
		port = sb.HTTPSPort
	}
	sni := host
	if net.ParseIP(host) != nil {
		sni = ""
	}
	tr := &http.Transport{
		Proxy:             nil,
		DisableKeepAlives: true,
		TLSClientConfig:   &tls.Config{ServerName: sni, InsecureSkipVerify: true},
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, "tcp", fmt.Sprintf("127.0.0.1:%d", port))
		},
	}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var body io.Reader
	if p.Body > 0 {
		body = bytes.NewReader(bytes.Repeat([]byte("x"), p.Body))
	}
	req, err := http.NewRequest(p.Method, scheme+"://"+host+p.Path, body)
	if err != nil {
		return probeAnswer{}, "", err
	}
	if p.Auth {
		req.SetBasicAuth("admin", "secret")
	}
	resp, err := hc.Do(req)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		// `return 444;`: nginx closes the connection without an answer.
		return probeAnswer{Scheme: scheme, Headers: "closed without a response"}, "", nil
	}
	if err != nil {
		return probeAnswer{}, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := probeAnswer{Scheme: scheme, Status: resp.StatusCode, body: string(b)}
	var hs []string
	for _, h := range keptHeaders {
		hs = append(hs, h+": "+normalScheme(sb, resp.Header.Get(h)))
	}
	a.Headers = strings.Join(hs, "\n")
	sum := sha256.Sum256([]byte(normalScheme(sb, string(b))))
	a.Digest = hex.EncodeToString(sum[:])
	return a, resp.Header.Get("Location"), nil
}

// normalScheme removes what differs only because of the scheme: https
// URLs and the sandbox's port numbers (nginx error pages name no port,
// but redirects and apps echo them).
func normalScheme(sb *sandbox.Sandbox, s string) string {
	return strings.NewReplacer(
		"https://", "http://",
		fmt.Sprintf(":%d", sb.HTTPSPort), "",
		fmt.Sprintf(":%d", sb.HTTPPort), "",
	).Replace(s)
}

// answerDiff shows what changed between two answers, line by line.
func answerDiff(b, a probeAnswer) string {
	bl := strings.Split(fmt.Sprintf("status: %d\n%s\n%s", b.Status, b.Headers, b.body), "\n")
	al := strings.Split(fmt.Sprintf("status: %d\n%s\n%s", a.Status, a.Headers, a.body), "\n")
	var out []string
	for i := 0; i < max(len(bl), len(al)); i++ {
		var x, y string
		if i < len(bl) {
			x = bl[i]
		}
		if i < len(al) {
			y = al[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("  before (%s): %q\n  after  (%s): %q", b.Scheme, x, a.Scheme, y))
		}
	}
	return strings.Join(out, "\n")
}
