package tlsaudit

import "strings"

// Suite is one TLS 1.2-and-older cipher suite as "openssl ciphers -v"
// describes it.
type Suite struct {
	Name     string // ECDHE-RSA-AES128-GCM-SHA256
	Protocol string // TLSv1.2, TLSv1, SSLv3, TLSv1.3
	Kx       string // ECDH, DH, RSA, PSK, any…
	Au       string // RSA, ECDSA, None, PSK…
	Enc      string // AESGCM(128), AES(256), 3DES(168), RC4(128), None…
	Mac      string // AEAD, SHA1, SHA256, MD5…
}

// parseSuites reads "openssl ciphers -v" output, one suite a line:
//
//	ECDHE-RSA-AES256-SHA  TLSv1  Kx=ECDH  Au=RSA  Enc=AES(256)  Mac=SHA1
func parseSuites(out string) []Suite {
	var suites []Suite
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 6 {
			continue
		}
		s := Suite{Name: f[0], Protocol: f[1]}
		for _, kv := range f[2:] {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "Kx":
				s.Kx = v
			case "Au":
				s.Au = v
			case "Enc":
				s.Enc = v
			case "Mac":
				s.Mac = v
			}
		}
		suites = append(suites, s)
	}
	return suites
}

// TLS13 suites are set by OpenSSL's Ciphersuites, not ssl_ciphers, and are
// all AEAD with forward secrecy.
func (s Suite) TLS13() bool { return s.Protocol == "TLSv1.3" }

// Usable reports suites nginx can negotiate with a certificate: not
// PSK or SRP, which nginx never configures.
func (s Suite) Usable() bool {
	return !strings.Contains(s.Kx, "PSK") && !strings.Contains(s.Kx, "SRP") && s.Au != "PSK" && s.Au != "SRP"
}

// Broken: no encryption, no authentication, or a cipher/MAC with a
// practical attack (RC4, DES, 3DES/Sweet32, IDEA/RC2 64-bit blocks, MD5,
// export grade).
func (s Suite) Broken() bool {
	for _, p := range []string{"None", "RC4", "DES", "3DES", "IDEA", "RC2"} {
		if s.Enc == p || strings.HasPrefix(s.Enc, p+"(") {
			return true
		}
	}
	return s.Au == "None" || s.Mac == "MD5" || strings.Contains(s.Name, "EXP")
}

// ForwardSecret: ephemeral (EC)DH key exchange. OpenSSL names ECDHE "ECDH"
// and DHE "DH" in -v output; static ECDH/DH suites are gone since 1.1.0.
func (s Suite) ForwardSecret() bool {
	return s.TLS13() || strings.HasPrefix(s.Kx, "ECDH") || strings.HasPrefix(s.Kx, "DH")
}

// AEAD: GCM, CCM or ChaCha20-Poly1305; everything else is MAC-then-encrypt
// CBC.
func (s Suite) AEAD() bool { return s.Mac == "AEAD" }
