package certcheck

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
)

// The provider's "nginx" download: a .pem with the leaf then the
// intermediate, and a .key. It installs, leaf first, with the key.
func TestProviderPairInstalls(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{})
	cert := p.write("example.com.pem", certPEM(leaf, p.inter), 0o644)
	keyFile := p.write("example.com.key", keyPEM(t, key), 0o600)

	r := Check(p.input(cert, keyFile))
	b := mustOK(t, r)
	if len(r.Findings) != 0 {
		t.Errorf("findings for a good pair: %v", r.Findings)
	}
	if !bytes.Equal(b.Fullchain, certPEM(leaf, p.inter)) {
		t.Errorf("fullchain is not leaf+intermediate")
	}
	if !bytes.Equal(b.Cert, certPEM(leaf)) || !bytes.Equal(b.Chain, certPEM(p.inter)) {
		t.Errorf("cert/chain split wrong")
	}
	if !b.Leaf.Equal(leaf) || len(b.Intermediates) != 1 || !b.Intermediates[0].Equal(p.inter) {
		t.Errorf("leaf/intermediates wrong")
	}
	if !b.NotAfter.Equal(leaf.NotAfter) {
		t.Errorf("NotAfter %v, want %v", b.NotAfter, leaf.NotAfter)
	}
	blk, _ := pem.Decode(b.Key)
	k, err := parseKeyDER(blk.Bytes)
	if err != nil || !keyMatches(leaf, k) {
		t.Errorf("bundle key does not match the leaf: %v", err)
	}
}

func TestMismatchedKeyRefused(t *testing.T) {
	p := newPKI(t)
	leaf, _ := p.leaf(leafOpts{})
	_, other := p.leaf(leafOpts{})
	cert := p.write("site.pem", certPEM(leaf, p.inter), 0o644)
	keyFile := p.write("site.key", keyPEM(t, other), 0o600)

	f := mustRefuse(t, Check(p.input(cert, keyFile)), KindKeyMismatch)
	if f.Field != FieldKey {
		t.Errorf("field %s, want %s", f.Field, FieldKey)
	}
}

// The commonest upload mistake: only the leaf copied. Refused, saying the
// intermediate is missing, where providers put it, and the AIA URL.
func TestLeafWithoutIntermediateRefused(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{})
	cert := p.write("site.crt", certPEM(leaf), 0o644)
	keyFile := p.write("site.key", keyPEM(t, key), 0o600)

	f := mustRefuse(t, Check(p.input(cert, keyFile)), KindIntermediateMissing)
	if !strings.Contains(f.Message, "intermediate certificate is missing") || !strings.Contains(f.Message, "Test DV TLS CA G2") {
		t.Errorf("message does not name the missing intermediate: %q", f.Message)
	}
	for _, want := range []string{"ca_bundle", "--chain-file", "http://cacerts.test.invalid/TestDVTLSCAG2.crt"} {
		if !strings.Contains(f.Hint, want) {
			t.Errorf("hint lacks %q: %q", want, f.Hint)
		}
	}
}

// A chain file given separately (the provider's ca_bundle.crt).
func TestSeparateChainFile(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{})
	in := p.input(p.write("site.crt", certPEM(leaf), 0o644), p.write("site.key", keyPEM(t, key), 0o600))
	in.ChainFile = p.write("ca_bundle.crt", certPEM(p.inter), 0o644)

	b := mustOK(t, Check(in))
	if !bytes.Equal(b.Fullchain, certPEM(leaf, p.inter)) {
		t.Errorf("fullchain is not leaf+intermediate from the two files")
	}
}

// Intermediate before the leaf, and the root appended: installed leaf
// first, root left out, both reported.
func TestOutOfOrderChainReordered(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{})
	cert := p.write("site.pem", certPEM(p.inter, p.root, leaf), 0o644)
	keyFile := p.write("site.key", keyPEM(t, key), 0o600)

	r := Check(p.input(cert, keyFile))
	b := mustOK(t, r)
	if !bytes.Equal(b.Fullchain, certPEM(leaf, p.inter)) {
		t.Errorf("not normalised to leaf, intermediate")
	}
	if f := mustFind(t, r, KindReordered); f.Severity != Note {
		t.Errorf("reorder is %s, want note", f.Severity)
	}
	if f := mustFind(t, r, KindDroppedCertificate); !strings.Contains(f.Message, "Test Root CA") {
		t.Errorf("dropped root not named: %q", f.Message)
	}
}

func TestExpiredRefused(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{notBefore: now.AddDate(0, -4, 0), notAfter: now.AddDate(0, 0, -1)})
	r := Check(p.input(p.write("a.pem", certPEM(leaf, p.inter), 0o644), p.write("a.key", keyPEM(t, key), 0o600)))
	f := mustRefuse(t, r, KindExpired)
	if !strings.Contains(f.Message, leaf.NotAfter.Format("2006-01-02")) {
		t.Errorf("message lacks the date: %q", f.Message)
	}
	if len(r.Errors()) != 1 {
		t.Errorf("an expired but otherwise good pair should have one error, got %v", r.Errors())
	}
}

func TestNotYetValidRefused(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{notBefore: now.AddDate(0, 0, 2), notAfter: now.AddDate(0, 3, 0)})
	mustRefuse(t, Check(p.input(p.write("a.pem", certPEM(leaf, p.inter), 0o644), p.write("a.key", keyPEM(t, key), 0o600))), KindNotYetValid)
}

func TestExpiringIn5DaysWarns(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{notAfter: now.AddDate(0, 0, 5)})
	r := Check(p.input(p.write("a.pem", certPEM(leaf, p.inter), 0o644), p.write("a.key", keyPEM(t, key), 0o600)))
	mustOK(t, r)
	f := mustFind(t, r, KindExpiresSoon)
	if f.Severity != Warning || !strings.Contains(f.Message, "5 days") {
		t.Errorf("got %s %q", f.Severity, f.Message)
	}

	leaf, key = p.leaf(leafOpts{notAfter: now.AddDate(0, 0, 20)})
	r = Check(p.input(p.write("b.pem", certPEM(leaf, p.inter), 0o644), p.write("b.key", keyPEM(t, key), 0o600)))
	if r.Has(KindExpiresSoon) {
		t.Errorf("warned with 20 days left")
	}
}

func TestNamesNotCoveringRefused(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{names: []string{"example.com"}})
	in := p.input(p.write("a.pem", certPEM(leaf, p.inter), 0o644), p.write("a.key", keyPEM(t, key), 0o600), "example.com", "api.example.com")
	f := mustRefuse(t, Check(in), KindNameNotCovered)
	if !strings.Contains(f.Message, `"api.example.com"`) {
		t.Errorf("message does not name the uncovered domain: %q", f.Message)
	}
}

// A wildcard covers one label below, never the apex; the refusal says so.
func TestWildcardDoesNotCoverApex(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{names: []string{"*.example.com"}})
	cert, keyFile := p.write("w.pem", certPEM(leaf, p.inter), 0o644), p.write("w.key", keyPEM(t, key), 0o600)

	mustOK(t, Check(p.input(cert, keyFile, "www.example.com", "API.Example.com.")))
	f := mustRefuse(t, Check(p.input(cert, keyFile, "example.com")), KindNameNotCovered)
	if !strings.Contains(f.Hint, "never the domain itself") {
		t.Errorf("hint does not explain the apex rule: %q", f.Hint)
	}
	mustRefuse(t, Check(p.input(cert, keyFile, "a.b.example.com")), KindNameNotCovered)
}

func TestCovers(t *testing.T) {
	c := &x509.Certificate{DNSNames: []string{"*.example.com", "Shop.Example.org", "*.com"}}
	for d, want := range map[string]bool{
		"www.example.com":   true,
		"example.com":       false,
		"a.b.example.com":   false,
		"*.example.com":     true,
		"*.a.example.com":   false,
		"shop.example.org":  true,
		"shop.example.org.": true,
		"example.org":       false,
		"x.com":             false, // no wildcard for a whole TLD
		"wwwexample.com":    false,
		".example.com":      false,
	} {
		if got := covers(c, d); got != want {
			t.Errorf("covers(%q) = %v, want %v", d, got, want)
		}
	}
}

// Windows line endings, a byte order mark, and provider text around the
// blocks: all read as nginx's OpenSSL reads them.
func TestCRLFBOMAndCommentsAccepted(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{})
	pemText := "\xEF\xBB\xBF" + "subject=CN = example.com\n" + string(certPEM(leaf)) +
		"\n# intermediate certificate below\nissuer=CN = Test Root CA\n" + string(certPEM(p.inter)) + "\n"
	crlf := strings.ReplaceAll(pemText, "\n", "\r\n")
	keyText := "\xEF\xBB\xBF" + strings.ReplaceAll(string(keyPEM(t, key)), "\n", "\r\n")

	b := mustOK(t, Check(p.input(p.write("a.pem", []byte(crlf), 0o644), p.write("a.key", []byte(keyText), 0o600))))
	if !bytes.Equal(b.Fullchain, certPEM(leaf, p.inter)) || bytes.ContainsAny(b.Fullchain, "\r\xEF") {
		t.Errorf("not normalised to LF PEM")
	}
	if bytes.ContainsAny(b.Key, "\r\xEF") {
		t.Errorf("key not normalised")
	}
}

func TestDERFilesExplained(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{})
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)

	r := Check(p.input(p.write("a.der", leaf.Raw, 0o644), p.write("a.key", keyPEM(t, key), 0o600)))
	f := mustRefuse(t, r, KindDER)
	if f.Field != FieldCert || !strings.Contains(f.Hint, "openssl x509 -inform der") {
		t.Errorf("cert DER: %v", f)
	}
	r = Check(p.input(p.write("b.pem", certPEM(leaf, p.inter), 0o644), p.write("b.key", keyDER, 0o600)))
	f = mustRefuse(t, r, KindDER)
	if f.Field != FieldKey || !strings.Contains(f.Hint, "openssl pkey -inform der") {
		t.Errorf("key DER: %v", f)
	}
}

func TestKeyModeWarning(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{})
	cert := p.write("a.pem", certPEM(leaf, p.inter), 0o644)

	r := Check(p.input(cert, p.write("open.key", keyPEM(t, key), 0o644)))
	mustOK(t, r)
	f := mustFind(t, r, KindKeyReadableByOthers)
	if f.Severity != Warning || f.Field != FieldKey || !strings.HasPrefix(f.Hint, "chmod 600 ") {
		t.Errorf("got %v", f)
	}
	if r := Check(p.input(cert, p.write("closed.key", keyPEM(t, key), 0o600))); r.Has(KindKeyReadableByOthers) {
		t.Errorf("warned about a 0600 key")
	}
}

func TestMissingFilesNamed(t *testing.T) {
	p := newPKI(t)
	r := Check(p.input(p.dir+"/nope.pem", p.dir+"/nope.key"))
	if r.OK() {
		t.Fatal("accepted missing files")
	}
	fields := map[Field]bool{}
	for _, f := range r.Findings {
		if f.Kind == KindUnreadable {
			fields[f.Field] = true
		}
	}
	if !fields[FieldCert] || !fields[FieldKey] {
		t.Errorf("both missing files should be reported, got %v", r.Findings)
	}
}

// A private key pasted into the certificate file is left out of the public
// file and reported.
func TestKeyInCertFileLeftOut(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{})
	combined := append(append(keyPEM(t, key), certPEM(leaf)...), certPEM(p.inter)...)
	r := Check(p.input(p.write("all.pem", combined, 0o644), p.write("a.key", keyPEM(t, key), 0o600)))
	b := mustOK(t, r)
	mustFind(t, r, KindKeyInCertFile)
	if bytes.Contains(b.Fullchain, []byte("PRIVATE KEY")) {
		t.Fatal("private key copied into the certificate file")
	}
}

// A self-signed certificate is not trusted unless its root is given.
func TestSelfSignedUntrusted(t *testing.T) {
	p := newPKI(t)
	key := ecKey(t)
	self := p.sign(&x509.Certificate{
		Subject: pkixName("example.com"), DNSNames: []string{"example.com"},
		NotBefore: now.AddDate(0, -1, 0), NotAfter: now.AddDate(1, 0, 0),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, key.Public(), nil, key)
	in := p.input(p.write("s.pem", certPEM(self), 0o644), p.write("s.key", keyPEM(t, key), 0o600), "example.com")
	f := mustRefuse(t, Check(in), KindUntrustedRoot)
	if !strings.Contains(f.Message, "self-signed") {
		t.Errorf("message: %q", f.Message)
	}
	in.ExtraRoots = x509.NewCertPool()
	in.ExtraRoots.AddCert(self)
	mustOK(t, Check(in))
}

// The intermediate is there but the root it chains to is not trusted: the
// extra root pool fixes it.
func TestExtraRootsTrusted(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{})
	in := p.input(p.write("a.pem", certPEM(leaf, p.inter), 0o644), p.write("a.key", keyPEM(t, key), 0o600))
	in.Roots = x509.NewCertPool()
	mustRefuse(t, Check(in), KindIntermediateMissing)
	in.ExtraRoots = p.roots
	mustOK(t, Check(in))
}

// Certificate and key passed the wrong way round: both named, refused.
func TestSwappedFilesRefused(t *testing.T) {
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{})
	cert := p.write("a.pem", certPEM(leaf, p.inter), 0o644)
	keyFile := p.write("a.key", keyPEM(t, key), 0o600)
	r := Check(p.input(keyFile, cert))
	f := mustRefuse(t, r, KindNoCertificate)
	if f.Field != FieldCert || !strings.Contains(f.Message, "holds a private key, not a certificate") {
		t.Errorf("cert side: %v", f)
	}
	if f := mustFind(t, r, KindNoKey); f.Field != FieldKey {
		t.Errorf("key side: %v", f)
	}
}

// An intermediate that has expired (providers rotate them) is named.
func TestExpiredIntermediateRefused(t *testing.T) {
	p := newPKI(t)
	old := p.sign(&x509.Certificate{
		Subject: p.inter.Subject, NotBefore: now.AddDate(-3, 0, 0), NotAfter: now.AddDate(0, 0, -1),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}, p.interKey.Public(), p.root, p.rootKey)
	leaf, key := p.leaf(leafOpts{})
	f := mustRefuse(t, Check(p.input(p.write("a.pem", certPEM(leaf, old), 0o644), p.write("a.key", keyPEM(t, key), 0o600))), KindChainInvalid)
	if !strings.Contains(f.Message, "Test DV TLS CA G2") || !strings.Contains(f.Message, "expired") {
		t.Errorf("message: %q", f.Message)
	}
}

// A client-authentication certificate is not a server certificate.
func TestClientCertificateRefused(t *testing.T) {
	p := newPKI(t)
	key := ecKey(t)
	c := p.sign(&x509.Certificate{
		Subject: pkixName("example.com"), DNSNames: []string{"example.com"},
		NotBefore: now.AddDate(0, -1, 0), NotAfter: now.AddDate(0, 2, 0),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, key.Public(), p.inter, p.interKey)
	in := p.input(p.write("a.pem", certPEM(c, p.inter), 0o644), p.write("a.key", keyPEM(t, key), 0o600), "example.com")
	f := mustRefuse(t, Check(in), KindChainInvalid)
	if !strings.Contains(f.Message, "not issued for web servers") {
		t.Errorf("message: %q", f.Message)
	}
}

// Text from the certificate reaches the terminal quoted: an escape
// sequence in a subject or AIA URL arrives as "\x1b", never as ESC.
func TestOutsideTextSanitised(t *testing.T) {
	p := newPKI(t)
	key := ecKey(t)
	c := p.sign(&x509.Certificate{
		Subject: pkixName("evil\x1b[2J\x1b]0;pwned\x07"), DNSNames: []string{"other.example"},
		NotBefore: now.AddDate(0, -1, 0), NotAfter: now.AddDate(0, 2, 0),
		IssuingCertificateURL: []string{"http://x.invalid/\x1b[31m"},
	}, key.Public(), p.inter, p.interKey)
	r := Check(p.input(p.write("a.pem", certPEM(c), 0o644), p.write("a.key", keyPEM(t, key), 0o600), "example.com"))
	if len(r.Findings) < 2 {
		t.Fatalf("findings %v", r.Findings)
	}
	for _, f := range r.Findings {
		if strings.ContainsAny(f.Message+f.Hint, "\x1b\x07") {
			t.Errorf("raw control character in %q / %q", f.Message, f.Hint)
		}
	}
}

func TestNotARegularFile(t *testing.T) {
	p := newPKI(t)
	_, key := p.leaf(leafOpts{})
	f := mustRefuse(t, Check(p.input(p.dir, p.write("a.key", keyPEM(t, key), 0o600))), KindUnreadable)
	if !strings.Contains(f.Message, "is a directory") {
		t.Errorf("message %q", f.Message)
	}
}
