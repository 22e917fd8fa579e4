package acme

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A CA answering 5xx is seen by the transport: that status is how a 5xx
// without a problem document is classified.
func TestConnectSeesTheCAServerError(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "upstream connect error", http.StatusBadGateway)
	}))
	defer srv.Close()
	hc, err := HTTPClient(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	status := hc.Transport.(transport).serverError
	hc.Transport.(transport).base.(*http.Transport).TLSClientConfig.InsecureSkipVerify = true
	resp, err := hc.Get(srv.URL + "/dir")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := status.Load(); got != http.StatusBadGateway {
		t.Fatalf("transport saw %d, want 502", got)
	}
}
