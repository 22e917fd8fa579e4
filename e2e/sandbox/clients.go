package sandbox

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"time"
)

// loopbackTransport dials addr for every request, whatever the URL says, so
// URLs can carry the real site name (Host header, SNI) while traffic never
// leaves the machine. Proxies from the environment are ignored for the same
// reason.
func loopbackTransport(addr string, tlsConf *tls.Config) *http.Transport {
	return &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr)
		},
		TLSClientConfig:     tlsConf,
		TLSHandshakeTimeout: 10 * time.Second,
	}
}

// HTTPClient talks to the site over plain HTTP on 127.0.0.1:HTTPPort.
// Redirects are returned, not followed, so tests can inspect them.
func (s *Sandbox) HTTPClient() *http.Client {
	return &http.Client{
		Timeout:       30 * time.Second,
		Transport:     loopbackTransport(fmt.Sprintf("127.0.0.1:%d", s.HTTPPort), nil),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// HTTPSClient talks to the site on 127.0.0.1:HTTPSPort with SNI s.Domain,
// trusting only the PEM roots given (normally IssuerRoots()).
func (s *Sandbox) HTTPSClient(roots []byte) *http.Client {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(roots)
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: loopbackTransport(fmt.Sprintf("127.0.0.1:%d", s.HTTPSPort),
			&tls.Config{RootCAs: pool, ServerName: s.Domain}),
	}
}
