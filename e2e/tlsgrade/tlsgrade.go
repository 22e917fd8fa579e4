// Package tlsgrade grades what a TLS server offers: sslscan (an outside
// tool built on OpenSSL, so not our own idea of what nginx does) lists the
// protocol versions and cipher suites, and a Go handshake checks that the
// chain sent leads to the expected root. The e2e tests fail on a bad
// grade; the benchmark prints the same grade for httpsify and certbot.
package tlsgrade

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/xml"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Cipher is one suite the server accepted.
type Cipher struct {
	Version string // TLSv1.2, TLSv1.3, ...
	Name    string // OpenSSL name for TLS 1.2 and older, IANA name for TLS 1.3
	Bits    int
}

// Report is what a scan found.
type Report struct {
	Protocols map[string]bool // "SSLv3", "TLSv1.0" ... "TLSv1.3" → offered
	Ciphers   []Cipher
	Groups    []string // key exchange groups offered with TLS 1.3
	ChainSent int      // certificates the server sent, leaf included
	ChainErr  error    // nil when the chain sent verifies to the root
	Tool      string   // "sslscan 2.0.7"
}

// sslscan's XML output, the parts graded here.
type scanXML struct {
	Version string `xml:"version,attr"`
	Test    struct {
		Protocols []struct {
			Type    string `xml:"type,attr"`
			Version string `xml:"version,attr"`
			Enabled string `xml:"enabled,attr"`
		} `xml:"protocol"`
		Ciphers []struct {
			Status  string `xml:"status,attr"`
			Version string `xml:"sslversion,attr"`
			Bits    string `xml:"bits,attr"`
			Name    string `xml:"cipher,attr"`
		} `xml:"cipher"`
		Groups []struct {
			Version string `xml:"sslversion,attr"`
			Name    string `xml:"name,attr"`
		} `xml:"group"`
	} `xml:"ssltest"`
}

// Scan grades 127.0.0.1:port (loopback only) with sni as the server name;
// roots is the PEM root the chain must lead to.
func Scan(ctx context.Context, port int, sni string, roots []byte) (*Report, error) {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sslscan", "--no-colour", "--xml=-", "--no-heartbleed", "--no-compression",
		"--no-renegotiation", "--no-fallback", "--sni-name="+sni, addr)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("sslscan %s: %v\n%s", addr, err, stderr.String())
	}
	r, err := parse(out)
	if err != nil {
		return nil, err
	}
	r.ChainSent, r.ChainErr = checkChain(ctx, addr, sni, roots)
	return r, nil
}

// parse reads sslscan's --xml=- output (the XML document in stdout).
func parse(out []byte) (*Report, error) {
	start := bytes.Index(out, []byte("<?xml"))
	end := bytes.LastIndex(out, []byte("</document>"))
	if start < 0 || end < start {
		return nil, fmt.Errorf("sslscan printed no XML report:\n%s", out)
	}
	var doc scanXML
	if err := xml.Unmarshal(out[start:end+len("</document>")], &doc); err != nil {
		return nil, fmt.Errorf("reading sslscan's XML: %w", err)
	}
	r := &Report{Protocols: map[string]bool{}, Tool: "sslscan " + doc.Version}
	for _, p := range doc.Test.Protocols {
		name := "TLSv" + p.Version
		if p.Type == "ssl" {
			name = "SSLv" + p.Version
		}
		r.Protocols[name] = p.Enabled == "1"
	}
	if len(r.Protocols) == 0 {
		return nil, fmt.Errorf("sslscan reported no protocol at all (server down?):\n%s", out)
	}
	for _, c := range doc.Test.Ciphers {
		if c.Status != "accepted" && c.Status != "preferred" {
			continue
		}
		bits, _ := strconv.Atoi(c.Bits)
		r.Ciphers = append(r.Ciphers, Cipher{Version: c.Version, Name: c.Name, Bits: bits})
	}
	for _, g := range doc.Test.Groups {
		if g.Version == "TLSv1.3" {
			r.Groups = append(r.Groups, g.Name)
		}
	}
	return r, nil
}

// checkChain does a handshake trusting only roots; the certificates the
// server sends are the only intermediates, so a missing one fails.
func checkChain(ctx context.Context, addr, sni string, roots []byte) (int, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(roots) {
		return 0, fmt.Errorf("no root certificate to check the chain against")
	}
	d := tls.Dialer{NetDialer: &net.Dialer{Timeout: 5 * time.Second}, Config: &tls.Config{ServerName: sni, InsecureSkipVerify: true}}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	certs := c.(*tls.Conn).ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return 0, fmt.Errorf("no certificate sent")
	}
	inter := x509.NewCertPool()
	for _, ic := range certs[1:] {
		inter.AddCert(ic)
	}
	_, err = certs[0].Verify(x509.VerifyOptions{DNSName: sni, Roots: pool, Intermediates: inter})
	return len(certs), err
}

// Problems lists every way the server falls short of the bar: TLS 1.2 and
// 1.3 only, TLS 1.3 present, only AEAD suites with ECDHE (or TLS 1.3)
// key exchange, and a chain that verifies from what the server sends.
func (r *Report) Problems() []string {
	var p []string
	for _, v := range []string{"SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1"} {
		if r.Protocols[v] {
			p = append(p, v+" offered")
		}
	}
	if !r.Protocols["TLSv1.3"] {
		p = append(p, "TLSv1.3 not offered")
	}
	for _, c := range r.Ciphers {
		if !AEAD(c) {
			p = append(p, fmt.Sprintf("non-AEAD suite %s (%s)", c.Name, c.Version))
		}
		if !ForwardSecret(c) {
			p = append(p, fmt.Sprintf("suite without ECDHE key exchange %s (%s)", c.Name, c.Version))
		}
	}
	if r.ChainErr != nil {
		p = append(p, fmt.Sprintf("incomplete or untrusted chain (%d certificate(s) sent): %v", r.ChainSent, r.ChainErr))
	}
	return p
}

// AEAD: every TLS 1.3 suite is; before 1.3 only GCM, CCM and ChaCha20-Poly1305.
func AEAD(c Cipher) bool {
	if c.Version == "TLSv1.3" {
		return true
	}
	n := strings.ToUpper(c.Name)
	return strings.Contains(n, "GCM") || strings.Contains(n, "CCM") || strings.Contains(n, "CHACHA20-POLY1305") || strings.Contains(n, "CHACHA20_POLY1305")
}

// ForwardSecret: TLS 1.3 always uses (EC)DHE; before it, only ECDHE suites
// pass here (finite-field DHE is forward secret but slow and, with
// small groups, weak; no modern profile offers it).
func ForwardSecret(c Cipher) bool {
	return c.Version == "TLSv1.3" || strings.HasPrefix(strings.ToUpper(c.Name), "ECDHE-")
}

// Offered lists the protocol versions offered, oldest first.
func (r *Report) Offered() []string {
	var out []string
	for _, v := range []string{"SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"} {
		if r.Protocols[v] {
			out = append(out, v)
		}
	}
	return out
}
