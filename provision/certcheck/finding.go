package certcheck

import "fmt"

// Field names the flag a finding concerns, so the caller can point at it.
type Field string

const (
	FieldCert  Field = "--cert-file"
	FieldKey   Field = "--key-file"
	FieldChain Field = "--chain-file"
)

// Severity says whether a finding stops the install.
type Severity int

const (
	// Error: the files cannot be installed as they are.
	Error Severity = iota
	// Warning: installable, but the user should know.
	Warning
	// Note: something certcheck changed or dropped while normalising.
	Note
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Note:
		return "note"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// Kind classifies a finding. Callers and tests switch on it, never on the
// message text.
type Kind int

const (
	// Reading the files.
	KindUnreadable     Kind = iota + 1 // file missing, unreadable, or too large
	KindNoCertificate                  // no PEM certificate in the file
	KindDER                            // binary DER instead of PEM
	KindMalformed                      // a PEM block that does not parse
	KindNoKey                          // no private key in the key file
	KindEncryptedKey                   // the key needs a passphrase
	KindUnsupportedKey                 // DSA or another key nginx/browsers cannot use
	KindKeyInCertFile                  // a private key inside the public certificate file

	// The pair and the chain.
	KindKeyMismatch         // the key does not belong to the certificate
	KindReordered           // the files held the chain out of order; fixed
	KindDroppedCertificate  // a certificate not on the leaf's path (or the root) left out
	KindIntermediateMissing // the leaf's issuer is neither in the files nor trusted
	KindUntrustedRoot       // the chain ends at a root nobody trusts (self-signed, private CA)
	KindChainInvalid        // path building failed for another reason (usage, signature algorithm, expired intermediate)

	// The leaf itself.
	KindExpired        // NotAfter is past
	KindNotYetValid    // NotBefore is in the future
	KindExpiresSoon    // under 14 days left
	KindNameNotCovered // a requested domain is not among the leaf's names
	KindWeakKey        // RSA under 2048 bits, EC under 256
	KindEd25519        // nginx accepts it, browsers do not

	// The key file on disk.
	KindKeyReadableByOthers // group or others may read the key file
)

var kindNames = map[Kind]string{
	KindUnreadable:          "unreadable",
	KindNoCertificate:       "no-certificate",
	KindDER:                 "der",
	KindMalformed:           "malformed",
	KindNoKey:               "no-key",
	KindEncryptedKey:        "encrypted-key",
	KindUnsupportedKey:      "unsupported-key",
	KindKeyInCertFile:       "key-in-cert-file",
	KindKeyMismatch:         "key-mismatch",
	KindReordered:           "reordered",
	KindDroppedCertificate:  "dropped-certificate",
	KindIntermediateMissing: "intermediate-missing",
	KindUntrustedRoot:       "untrusted-root",
	KindChainInvalid:        "chain-invalid",
	KindExpired:             "expired",
	KindNotYetValid:         "not-yet-valid",
	KindExpiresSoon:         "expires-soon",
	KindNameNotCovered:      "name-not-covered",
	KindWeakKey:             "weak-key",
	KindEd25519:             "ed25519",
	KindKeyReadableByOthers: "key-readable-by-others",
}

// String is a stable identifier (for logs and JSON), not a message.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Finding is one thing certcheck observed, in one plain sentence.
type Finding struct {
	Kind     Kind
	Severity Severity
	Field    Field
	Message  string // one line, plain English
	Hint     string // what to do about it; may be empty
}

func (f Finding) String() string {
	s := fmt.Sprintf("%s: %s: %s", f.Field, f.Severity, f.Message)
	if f.Hint != "" {
		s += " (" + f.Hint + ")"
	}
	return s
}
