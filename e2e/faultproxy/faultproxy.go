// Package faultproxy is an HTTPS reverse proxy on loopback that stands in
// front of Pebble and injects the failures a real CA shows now and then:
// 500s, answers that never come, rate limits, slow answers. Tests point
// httpsify's --ca at DirURL and --ca-root at CAFile.
//
// Pebble builds every URL it hands out from the request's Host header, and
// the proxy passes that header through, so the directory, order and
// certificate URLs all lead back through the proxy without rewriting.
package faultproxy

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Kind is what a rule does to a matching request.
type Kind int

const (
	// Status500 answers 500 with a plain-text body, as a broken load
	// balancer in front of a CA would; nothing reaches the CA.
	Status500 Kind = iota + 1
	// Hang never answers: the request is held until the client gives up
	// (or Delay passes, if set), then the connection is dropped.
	Hang
	// RateLimit answers 429 with an RFC 8555 rateLimited problem and a
	// Retry-After of one hour.
	RateLimit
	// Delay forwards the request after Delay.
	Delay
	// Gate holds the request until Release is called, then forwards it.
	Gate
)

// Rule injects a fault into requests whose path starts with Path.
type Rule struct {
	Path  string // path prefix, e.g. "/order-plz" (Pebble's new-order)
	Kind  Kind
	Delay time.Duration // for Delay; a cap for Hang (0: until the client leaves)
	Times int           // the first Times matches get the fault; 0: every match
}

// Pebble's endpoint paths, for rules.
const (
	PathDirectory  = "/dir"
	PathNewAccount = "/sign-me-up"
	PathNewOrder   = "/order-plz"
	PathFinalize   = "/finalize-order/"
	PathCert       = "/certZ/"
)

// Proxy is a running fault-injecting proxy.
type Proxy struct {
	URL    string // https://127.0.0.1:PORT
	DirURL string // the ACME directory through the proxy
	CAFile string // PEM of the proxy's own certificate, for --ca-root

	srv     *http.Server
	rp      *httputil.ReverseProxy
	mu      sync.Mutex
	rules   []Rule
	hits    []int
	faults  int
	gate    chan struct{}
	waiting chan struct{} // receives one value per request held at a Gate
}

// Start listens on a free loopback port and forwards to upstream (the
// ACME server's scheme://host:port), trusting upstreamCA (a PEM file) for
// it. dir receives the proxy's certificate file.
func Start(upstream, upstreamCA, dir string, rules ...Rule) (*Proxy, error) {
	target, err := url.Parse(upstream)
	if err != nil || target.Scheme != "https" || !isLoopback(target.Hostname()) {
		return nil, fmt.Errorf("faultproxy: upstream %q must be an https URL on loopback", upstream)
	}
	pool := x509.NewCertPool()
	caPEM, err := os.ReadFile(upstreamCA)
	if err != nil || !pool.AppendCertsFromPEM(caPEM) {
		return nil, fmt.Errorf("faultproxy: no CA certificate in %s: %v", upstreamCA, err)
	}
	cert, certPEM, err := selfSigned()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{
		URL:     "https://" + ln.Addr().String(),
		CAFile:  filepath.Join(dir, "faultproxy-ca.pem"),
		gate:    make(chan struct{}),
		waiting: make(chan struct{}, 64),
	}
	p.DirURL = p.URL + PathDirectory
	if err := os.WriteFile(p.CAFile, certPEM, 0o644); err != nil {
		ln.Close()
		return nil, err
	}
	p.SetRules(rules...)
	// The Director of NewSingleHostReverseProxy keeps the client's Host
	// header, which is what makes Pebble's URLs point back at us.
	p.rp = httputil.NewSingleHostReverseProxy(target)
	p.rp.Transport = &http.Transport{
		Proxy:           nil, // loopback only, whatever the environment says
		TLSClientConfig: &tls.Config{RootCAs: pool},
	}
	p.srv = &http.Server{
		Handler:   http.HandlerFunc(p.serve),
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}},
		ErrorLog:  log.New(io.Discard, "", 0), // clients hanging up is the point here
	}
	go p.srv.ServeTLS(ln, "", "")
	return p, nil
}

// SetRules replaces the rules (and their counters).
func (p *Proxy) SetRules(rules ...Rule) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = append([]Rule(nil), rules...)
	p.hits = make([]int, len(rules))
}

// Faults is how many requests got a fault so far.
func (p *Proxy) Faults() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.faults
}

// Held returns a channel that receives a value each time a request stops
// at a Gate rule.
func (p *Proxy) Held() <-chan struct{} { return p.waiting }

// Release lets every request held at a Gate (now and later) through.
func (p *Proxy) Release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.gate:
	default:
		close(p.gate)
	}
}

// Close stops the proxy; held requests are released first.
func (p *Proxy) Close() error {
	p.Release()
	return p.srv.Close()
}

// match returns the rule for r, counting the hit, or nil.
func (p *Proxy) match(r *http.Request) *Rule {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, rule := range p.rules {
		if !strings.HasPrefix(r.URL.Path, rule.Path) {
			continue
		}
		p.hits[i]++
		if rule.Times > 0 && p.hits[i] > rule.Times {
			continue
		}
		p.faults++
		return &rule
	}
	return nil
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	rule := p.match(r)
	if rule == nil {
		p.rp.ServeHTTP(w, r)
		return
	}
	switch rule.Kind {
	case Status500:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintln(w, "upstream connect error or disconnect/reset before headers")
	case RateLimit:
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many new orders (5) for this account in the last 3h0m0s, retry after 1h","status":429}`)
	case Hang:
		var timeout <-chan time.Time
		if rule.Delay > 0 {
			timeout = time.After(rule.Delay)
		}
		select {
		case <-r.Context().Done():
		case <-timeout:
		}
		// Drop the connection without an answer, as a dead backend would.
		panic(http.ErrAbortHandler)
	case Delay:
		select {
		case <-r.Context().Done():
			return
		case <-time.After(rule.Delay):
		}
		p.rp.ServeHTTP(w, r)
	case Gate:
		select {
		case p.waiting <- struct{}{}:
		default:
		}
		select {
		case <-r.Context().Done():
			return
		case <-p.gate:
		}
		p.rp.ServeHTTP(w, r)
	}
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}
