package validate

import (
	"strings"
	"testing"
	"unicode"
)

// forbidden is what must never reach a config file from user input: nginx
// and Apache syntax, variables, comments, quoting and whitespace.
const forbidden = ";{}\"'#$\\` \t\n\r\x00"

// Per-validator allowlists for outputs; tighter than "not forbidden".
const (
	lower         = "abcdefghijklmnopqrstuvwxyz"
	alnum         = lower + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	domainChars   = lower + "0123456789.-*"
	pathChars     = alnum + "._/@+-"
	upstreamChars = alnum + "._~/:@+[]|-"
	emailChars    = alnum + "._+-@"
	sizeChars     = "0123456789kmg"
)

// assertSafe fails unless out is non-empty, ASCII, free of forbidden
// characters and within allowed.
func assertSafe(t *testing.T, what, in, out, allowed string) {
	t.Helper()
	if out == "" {
		t.Errorf("%s(%q) accepted with empty output", what, in)
	}
	for _, r := range out {
		if r >= 0x80 || strings.ContainsRune(forbidden, r) || !strings.ContainsRune(allowed, r) {
			t.Errorf("%s(%q) = %q: output contains %q", what, in, out, r)
			return
		}
	}
}

// assertQuietError fails if an error message could mangle a terminal or a
// log line: every rune must be printable (so newlines, NUL and invisible
// characters only ever appear escaped).
func assertQuietError(t *testing.T, what, in string, err error) {
	t.Helper()
	msg := err.Error()
	if msg == "" {
		t.Errorf("%s(%q): empty error message", what, in)
	}
	for _, r := range msg {
		if !unicode.IsPrint(r) {
			t.Errorf("%s(%q): error %q contains unescaped %q", what, in, msg, r)
			return
		}
	}
}
