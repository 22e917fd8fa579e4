package certcheck

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

// maxFileSize bounds what is read: a certificate file of several megabytes
// is a mistake (a log, an archive), not a chain.
const maxFileSize = 1 << 20

// readFile reads at most maxFileSize bytes; the error is a finding.
func readFile(path string, field Field) ([]byte, *Finding) {
	// Stat first: opening a FIFO or device named by mistake would block
	// or read forever.
	st, err := os.Stat(path)
	if err == nil && !st.Mode().IsRegular() {
		what := i18n.T("%s is not a regular file", quote(path))
		if st.IsDir() {
			what = i18n.T("%s is a directory, not a file", quote(path))
		}
		return nil, &Finding{Kind: KindUnreadable, Severity: Error, Field: field, Message: what}
	}
	f, err := os.Open(path)
	if err != nil {
		msg := i18n.T("cannot open %s", quote(path))
		switch {
		case errors.Is(err, os.ErrNotExist):
			msg = i18n.T("%s does not exist", quote(path))
		case errors.Is(err, os.ErrPermission):
			msg = i18n.T("%s cannot be read (permission denied)", quote(path))
		}
		return nil, &Finding{Kind: KindUnreadable, Severity: Error, Field: field, Message: msg}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, &Finding{Kind: KindUnreadable, Severity: Error, Field: field,
			Message: i18n.T("cannot read %s", quote(path))}
	}
	if len(data) > maxFileSize {
		return nil, &Finding{Kind: KindUnreadable, Severity: Error, Field: field,
			Message: i18n.T("%s is larger than 1 MiB: not a certificate or key file", quote(path))}
	}
	return data, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// normaliseText removes what Windows editors and some provider downloads
// add: a UTF-8 byte order mark (which hides a first BEGIN line from
// encoding/pem) and CRLF line endings.
func normaliseText(data []byte) []byte {
	data = bytes.TrimPrefix(data, utf8BOM)
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
}

// pemBlocks returns every PEM block in data. Text around and between blocks
// (provider comments, "Bag Attributes" from openssl pkcs12, subject lines)
// is skipped, as nginx's OpenSSL skips it.
func pemBlocks(data []byte) []*pem.Block {
	var out []*pem.Block
	rest := normaliseText(data)
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return out
		}
		out = append(out, b)
	}
}

// looksBinary reports data that is not text (DER, PKCS#12): control bytes
// other than whitespace near the start. ASN.1 length bytes always supply
// some.
func looksBinary(data []byte) bool {
	data = bytes.TrimPrefix(data, utf8BOM)
	for _, c := range data[:min(len(data), 512)] {
		if c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f {
			return true
		}
	}
	return false
}

// derFinding explains a binary file given where PEM is expected.
func derFinding(path string, data []byte, field Field) Finding {
	if _, err := x509.ParseCertificate(data); err == nil {
		return Finding{Kind: KindDER, Severity: Error, Field: field,
			Message: i18n.T("%s is a binary (DER) certificate; nginx needs PEM text", quote(path)),
			Hint:    i18n.T("convert it: openssl x509 -inform der -in %s -out %s.pem", shellArg(path), shellArg(path))}
	}
	if _, err := parseKeyDER(data); err == nil {
		return Finding{Kind: KindDER, Severity: Error, Field: field,
			Message: i18n.T("%s is a binary (DER) private key; nginx needs PEM text", quote(path)),
			Hint:    i18n.T("convert it: openssl pkey -inform der -in %s -out %s.pem", shellArg(path), shellArg(path))}
	}
	return Finding{Kind: KindDER, Severity: Error, Field: field,
		Message: i18n.T("%s is a binary file, not PEM text", quote(path)),
		Hint:    i18n.T("if it is a .pfx/.p12 bundle: openssl pkcs12 -in %s -nokeys -out cert.pem and -nocerts -noenc -out key.pem", shellArg(path))}
}

// maxQuoted caps how much outside text a message repeats.
const maxQuoted = 96

// quote renders outside text (paths, subject names, URLs) safely for a
// terminal: Go-quoted, control characters escaped, long values cut.
func quote(s string) string {
	n := 0
	for i := range s {
		if n == maxQuoted {
			return strconv.Quote(s[:i]) + "..."
		}
		n++
	}
	return strconv.Quote(s)
}

// shellArg renders a path for a command the user may paste: bare when it
// holds only safe characters, single-quoted otherwise, and quoted like
// quote() when it holds anything unprintable.
func shellArg(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+@:,", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	if q := strconv.Quote(s); q[1:len(q)-1] != s || strings.ContainsRune(s, '\'') {
		return q // unprintable or awkward: shown escaped, not pasteable as is
	}
	return "'" + s + "'"
}
