package tlsaudit

import "fmt"

// Kind classifies a finding; callers switch on it, never on text.
type Kind int

const (
	KindSSLOn             Kind = iota + 1 // "ssl on;": deprecated 1.15.0, removed 1.25.1
	KindOldProtocols                      // SSLv2/SSLv3/TLSv1/TLSv1.1 enabled
	KindNoTLS13                           // TLSv1.3 not enabled
	KindBrokenCiphers                     // RC4, DES/3DES, NULL, anonymous, export, MD5 suites
	KindNoForwardSecrecy                  // suites with static RSA key exchange
	KindNonAEAD                           // CBC suites (no authenticated encryption)
	KindBroadCipherAlias                  // HIGH, ALL, DEFAULT…: meaning depends on the OpenSSL version
	KindCipherListInvalid                 // OpenSSL matches no suite: nginx refuses to start
	KindCiphersUnchecked                  // openssl unavailable: the list was not expanded
)

var kindNames = map[Kind]string{
	KindSSLOn:             "ssl-on",
	KindOldProtocols:      "old-protocols",
	KindNoTLS13:           "no-tls13",
	KindBrokenCiphers:     "broken-ciphers",
	KindNoForwardSecrecy:  "no-forward-secrecy",
	KindNonAEAD:           "non-aead",
	KindBroadCipherAlias:  "broad-cipher-alias",
	KindCipherListInvalid: "cipher-list-invalid",
	KindCiphersUnchecked:  "ciphers-unchecked",
}

// String is a stable identifier, not a message.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Finding is one problem, in one plain sentence.
type Finding struct {
	Kind      Kind
	Directive string // the directive it concerns: "ssl", "ssl_protocols", "ssl_ciphers"
	Message   string
	Hint      string
	// Suites lists the cipher suites concerned, when the finding is about
	// suites (OpenSSL names).
	Suites []string
}

func (f Finding) String() string {
	s := f.Directive + ": " + f.Message
	if f.Hint != "" {
		s += " (" + f.Hint + ")"
	}
	return s
}
