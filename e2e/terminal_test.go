package e2e

import (
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileText is what a CA can put in its terms URL or a problem detail:
// a screen clear, a window title (OSC), a carriage return over a fake
// "✓ verify" line, a C1 CSI and a colour.
const hostileText = "\x1b[2J\x1b]0;pwned\x07\r✓ verify   all good\u009b2J\x1b[31m"

// fakeACME is an ACME server on loopback whose terms of service and whose
// answer to a new account carry hostileText. It returns the directory URL
// and a PEM file trusting its TLS certificate.
func fakeACME(t *testing.T) (string, string) {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Replay-Nonce", "bm9uY2U")
		switch r.URL.Path {
		case "/dir":
			json.NewEncoder(w).Encode(map[string]any{
				"newNonce": srv.URL + "/nonce", "newAccount": srv.URL + "/acct", "newOrder": srv.URL + "/order",
				"revokeCert": srv.URL + "/revoke", "keyChange": srv.URL + "/key",
				"meta": map[string]any{"termsOfService": "https://ca.example/tos" + hostileText},
			})
		case "/nonce":
			w.WriteHeader(http.StatusNoContent)
		default:
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]any{
				"type": "urn:ietf:params:acme:error:malformed", "status": 400,
				"detail": "account refused" + hostileText,
			})
		}
	}))
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	return srv.URL + "/dir", ca
}

// requirePlainText fails on any byte a terminal would act on.
func requirePlainText(t *testing.T, out string) {
	t.Helper()
	for i, r := range out {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) || r == 0xfffd {
			t.Fatalf("control %U at byte %d reached the terminal:\n%q", r, i, out)
		}
	}
}

// The CA's terms URL (shown when --agree-tos is missing) and its problem
// detail (shown when it refuses the account) reach apply's output with
// every control escaped, and still readable.
func TestApplyEscapesTheCAsText(t *testing.T) {
	sb := newSandbox(t)
	dir, ca := fakeACME(t)
	args := with(with(sb.ApplyArgs(), "--ca", dir), "--ca-root", ca)
	var noTOS []string
	for _, a := range args {
		if a != "--agree-tos" {
			noTOS = append(noTOS, a)
		}
	}
	before := snapshot(t, sb)
	for want, args := range map[string][]string{"read them at https://ca.example/tos": noTOS, "account refused": args} {
		t.Run(want, func(t *testing.T) {
			out, code := run(t, append([]string{"apply"}, args...)...)
			if code == 0 {
				t.Fatalf("apply succeeded against a CA that refuses:\n%s", out)
			}
			requirePlainText(t, out)
			if !strings.Contains(out, want+`\x1b[2J\x1b]0;pwned`) {
				t.Errorf("the CA's text is not shown, escaped:\n%s", out)
			}
		})
	}
	requireSameFiles(t, before, snapshot(t, sb))
}
