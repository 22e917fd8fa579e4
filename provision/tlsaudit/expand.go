package tlsaudit

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"time"
)

// Expander turns an OpenSSL cipher string into the suites it enables.
type Expander interface {
	Expand(ctx context.Context, spec string) ([]Suite, error)
}

var (
	// ErrNoMatch: OpenSSL matches no suite; nginx then fails to start
	// ("SSL_CTX_set_cipher_list failed").
	ErrNoMatch = errors.New("no cipher suite matches")
	// ErrUnavailable: the expander cannot run here (no openssl).
	ErrUnavailable = errors.New("cipher list expansion unavailable")
)

// OpenSSL expands with the openssl command. Path defaults to "openssl" on
// $PATH.
type OpenSSL struct {
	Path string
}

// Expand runs "openssl ciphers -v -- SPEC". Leading "-X"/"+X" elements are
// dropped first: on an empty list they change nothing, and openssl
// releases before 1.1.0 do not know "--".
func (o OpenSSL) Expand(ctx context.Context, spec string) ([]Suite, error) {
	path := o.Path
	if path == "" {
		path = "openssl"
	}
	bin, err := exec.LookPath(path)
	if err != nil {
		return nil, ErrUnavailable
	}
	spec = dropLeadingNoOps(spec)
	if spec == "" {
		return nil, ErrNoMatch
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "ciphers", "-v", "--", spec)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C"}
	if err := cmd.Run(); err != nil {
		if strings.Contains(stderr.String(), "no cipher match") {
			return nil, ErrNoMatch
		}
		return nil, ErrUnavailable
	}
	return parseSuites(stdout.String()), nil
}

// dropLeadingNoOps removes "-X" and "+X" elements before the first element
// that adds or kills suites.
func dropLeadingNoOps(spec string) string {
	elems := splitCipherString(spec)
	for len(elems) > 0 && (strings.HasPrefix(elems[0], "-") || strings.HasPrefix(elems[0], "+")) {
		elems = elems[1:]
	}
	return strings.Join(elems, ":")
}

// splitCipherString splits on OpenSSL's separators: colon, comma, space.
func splitCipherString(spec string) []string {
	return strings.FieldsFunc(spec, func(r rune) bool { return r == ':' || r == ',' || r == ' ' || r == '\t' })
}
