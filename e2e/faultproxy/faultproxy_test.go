package faultproxy

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The proxy passes requests through with the client's Host header (which
// is what keeps Pebble's URLs pointing at the proxy) and injects each
// kind of fault only where and as often as a rule says.
func TestProxyFaults(t *testing.T) {
	upstream := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "upstream %s host=%s", r.URL.Path, r.Host)
	}))
	defer upstream.Close()
	dir := t.TempDir()
	caFile := filepath.Join(dir, "upstream.pem")
	os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: upstream.Certificate().Raw}), 0o644)

	p, err := Start(upstream.URL, caFile, dir,
		Rule{Path: PathNewOrder, Kind: Status500, Times: 1},
		Rule{Path: PathFinalize, Kind: RateLimit},
		Rule{Path: PathCert, Kind: Gate},
		Rule{Path: "/hang", Kind: Hang, Delay: 50 * time.Millisecond},
	)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	caPEM, _ := os.ReadFile(p.CAFile)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	get := func(path string) (int, string, http.Header) {
		resp, err := c.Get(p.URL + path)
		if err != nil {
			return 0, err.Error(), nil
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}

	host := strings.TrimPrefix(p.URL, "https://")
	if code, body, _ := get("/dir"); code != 200 || body != "upstream /dir host="+host {
		t.Errorf("pass-through: %d %q", code, body)
	}
	if code, _, _ := get(PathNewOrder); code != 500 {
		t.Errorf("first new-order: %d, want 500", code)
	}
	if code, _, _ := get(PathNewOrder); code != 200 {
		t.Errorf("second new-order: %d, want 200 (Times: 1)", code)
	}
	if code, body, h := get(PathFinalize + "x"); code != 429 || !strings.Contains(body, "rateLimited") || h.Get("Retry-After") == "" {
		t.Errorf("finalize: %d %q %v", code, body, h)
	}
	if code, body, _ := get("/hang"); code != 0 || !strings.Contains(body, "EOF") {
		t.Errorf("hang: %d %q, want the connection dropped", code, body)
	}
	done := make(chan int)
	go func() { code, _, _ := get(PathCert + "1"); done <- code }()
	<-p.Held()
	select {
	case <-done:
		t.Fatal("the gated request went through before Release")
	case <-time.After(100 * time.Millisecond):
	}
	p.Release()
	if code := <-done; code != 200 {
		t.Errorf("released request: %d", code)
	}
	// Go's client retries a GET once when the connection drops: the hang
	// may count twice.
	if n := p.Faults(); n < 4 || n > 5 {
		t.Errorf("Faults() = %d, want 4 (or 5)", n)
	}
}
