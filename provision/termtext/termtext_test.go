package termtext

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanEscapesControls(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":             "plain text",
		"证书已签发 ✓":                "证书已签发 ✓",
		"a\x1b[2Jb":              `a\x1b[2Jb`,
		"\x1b]0;owned\x07":       `\x1b]0;owned\x07`,
		"bad\r✓ verify all good": `bad\x0d✓ verify all good`,
		"del\x7f":                `del\x7f`,
		"c1\u009b2J":             `c1\u009b2J`,
		"bidi\u202eevil":         `bidi\u202eevil`,
		"two\nlines\ttab":        "two\nlines\ttab",
		"broken \xff utf8":       `broken \xff utf8`,
		"backspace\b\b\bfake":    `backspace\x08\x08\x08fake`,
		"nul\x00":                `nul\x00`,
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLineEscapesNewlines(t *testing.T) {
	if got := Line("a\nb"); got != `a\x0ab` {
		t.Errorf("Line = %q", got)
	}
}

func TestStyledKeepsSGROnly(t *testing.T) {
	in := "\x1b[1;32m✓ ok\x1b[0m evil\x1b[2J\x1b]0;t\x07"
	want := "\x1b[1;32m✓ ok\x1b[0m evil\\x1b[2J\\x1b]0;t\\x07"
	if got := Styled(in); got != want {
		t.Errorf("Styled = %q, want %q", got, want)
	}
}

func TestErrorKeepsChain(t *testing.T) {
	err := Error(&fs.PathError{Op: "open", Path: "\x1b[2J", Err: fs.ErrNotExist})
	if !errors.Is(err, fs.ErrNotExist) || strings.ContainsRune(err.Error(), 0x1b) {
		t.Errorf("Error() = %q, is ErrNotExist %v", err, errors.Is(err, fs.ErrNotExist))
	}
}

// noControls reports the first byte or rune a terminal would act on.
func noControls(t *testing.T, s string, allowNewline bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("output is not UTF-8: %q", s)
	}
	for _, r := range s {
		if (r < 0x20 && r != '\t' && !(allowNewline && r == '\n')) || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) {
			t.Fatalf("control %U left in %q", r, s)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "ok", "\x1b[2J", "\x1b]0;x\x07", "a\rb", "\u009b", "证书", "\xff\xfe", "\x1b[31mred\x1b[0m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		noControls(t, c, true)
		if Clean(c) != c {
			t.Fatalf("Clean is not idempotent on %q", s)
		}
		noControls(t, Line(s), false)
		// Styled may keep SGR only: strip those and nothing else may remain.
		st := Styled(s)
		for {
			i := strings.IndexByte(st, 0x1b)
			if i < 0 {
				break
			}
			n := sgrLen(st[i:])
			if n == 0 {
				t.Fatalf("Styled left a non-SGR escape in %q", st)
			}
			st = st[:i] + st[i+n:]
		}
		noControls(t, st, true)
		// Printable text survives unchanged.
		if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return !keep(r, false) }) && Clean(s) != s {
			t.Fatalf("Clean changed printable %q", s)
		}
	})
}
