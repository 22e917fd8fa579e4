package tlsaudit

import (
	"context"
	"testing"
)

// The Suite predicates agree with OpenSSL's own aliases for every suite
// this OpenSSL knows: forward secrecy = kECDHE/kDHE (and their PSK forms),
// AEAD = GCM/CCM/ChaCha20-Poly1305, broken = NULL, anonymous, RC4, DES,
// 3DES, IDEA, MD5.
func TestSuitePredicatesMatchOpenSSLAliases(t *testing.T) {
	ctx := context.Background()
	set := func(spec string) map[string]bool {
		t.Helper()
		suites, err := OpenSSL{}.Expand(ctx, spec)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		m := map[string]bool{}
		for _, s := range suites {
			m[s.Name] = true
		}
		return m
	}
	all, err := OpenSSL{}.Expand(ctx, "ALL:COMPLEMENTOFALL")
	if err != nil || len(all) < 50 {
		t.Fatalf("openssl lists %d suites: %v", len(all), err)
	}
	fs := set("kECDHE:kDHE:kECDHEPSK:kDHEPSK")
	aead := set("AESGCM:AESCCM:AESCCM8:CHACHA20:ARIAGCM")
	broken := set("eNULL:aNULL:MD5") // RC4, DES, 3DES and IDEA are compiled out of this OpenSSL
	for _, s := range all {
		if s.TLS13() {
			continue
		}
		if got := s.ForwardSecret(); got != fs[s.Name] {
			t.Errorf("%s: ForwardSecret %v, OpenSSL says %v", s.Name, got, fs[s.Name])
		}
		if got := s.AEAD(); got != aead[s.Name] {
			t.Errorf("%s: AEAD %v, OpenSSL says %v", s.Name, got, aead[s.Name])
		}
		if got := s.Broken(); got != broken[s.Name] {
			t.Errorf("%s: Broken %v, OpenSSL says %v", s.Name, got, broken[s.Name])
		}
	}
}

// Suites OpenSSL 1.0/1.1 still describe (as a user's older server prints
// them) are classified from the same fields.
func TestParseSuitesOlderOpenSSL(t *testing.T) {
	out := "DES-CBC3-SHA            SSLv3 Kx=RSA      Au=RSA  Enc=3DES(168) Mac=SHA1\n" +
		"ECDHE-RSA-DES-CBC3-SHA  SSLv3 Kx=ECDH     Au=RSA  Enc=3DES(168) Mac=SHA1\n" +
		"RC4-SHA                 SSLv3 Kx=RSA      Au=RSA  Enc=RC4(128)  Mac=SHA1\n" +
		"EXP-RC4-MD5             SSLv3 Kx=RSA(512) Au=RSA  Enc=RC4(40)   Mac=MD5  export\n" +
		"ECDHE-RSA-AES128-SHA    SSLv3 Kx=ECDH     Au=RSA  Enc=AES(128)  Mac=SHA1\n"
	s := parseSuites(out)
	if len(s) != 5 {
		t.Fatalf("parsed %d suites", len(s))
	}
	for i, want := range []bool{true, true, true, true, false} {
		if s[i].Broken() != want {
			t.Errorf("%s: Broken %v", s[i].Name, !want)
		}
	}
	if s[4].AEAD() || !s[4].ForwardSecret() {
		t.Errorf("%s misclassified", s[4].Name)
	}
}
