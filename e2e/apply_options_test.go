package e2e

import (
	"bytes"
	"crypto/rsa"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// The options a user turns change what is served, not only the file.
func TestApplyOptionsReachTheServedSite(t *testing.T) {
	sb := newSandbox(t)
	certDir := filepath.Join(sb.Dir, "certs", sb.Domain)
	args := append([]string{"apply"}, sb.ApplyArgs()...)
	args = append(args, "--key-type", "rsa2048", "--no-http2", "--hsts", "--client-max-body-size", "20m", "--cert-dir", certDir)
	out, code := run(t, args...)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	addr := net.JoinHostPort("127.0.0.1", fmt.Sprint(sb.HTTPSPort))
	c, err := tls.Dial("tcp", addr, &tls.Config{ServerName: sb.Domain, InsecureSkipVerify: true, NextProtos: []string{"h2", "http/1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	st := c.ConnectionState()
	c.Close()
	if _, ok := st.PeerCertificates[0].PublicKey.(*rsa.PublicKey); !ok {
		t.Errorf("served key is %T, want RSA", st.PeerCertificates[0].PublicKey)
	}
	if st.NegotiatedProtocol == "h2" {
		t.Error("HTTP/2 negotiated despite --no-http2")
	}
	requireMode(t, filepath.Join(certDir, "privkey.pem"), 0o600)

	roots, err := sb.IssuerRoots()
	if err != nil {
		t.Fatal(err)
	}
	client := sb.HTTPSClient(roots)
	resp, err := client.Get(fmt.Sprintf("https://%s:%d/", sb.Domain, sb.HTTPSPort))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Strict-Transport-Security"); got != "max-age=63072000" {
		t.Errorf("HSTS header = %q", got)
	}
	// 5 MB is over nginx's default 1m and under the 20m asked for.
	body := bytes.Repeat([]byte("x"), 5<<20)
	resp, err = client.Post(fmt.Sprintf("https://%s:%d/upload", sb.Domain, sb.HTTPSPort), "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(b.String(), fmt.Sprint(len(body))) {
		t.Errorf("upload of 5 MB: %d %q", resp.StatusCode, b.String())
	}
}
