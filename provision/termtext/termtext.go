// Package termtext makes text that came from outside httpsify (a CA's
// messages, an app's reason phrase, a process name, values from a config
// file, nginx's own output) safe to show on root's terminal: a crafted
// value must not clear the screen, move the cursor, set the window title
// or overwrite a line with a fake "✓". Printable characters, CJK and
// other scripts included, are kept; control characters are escaped
// visibly so the user still sees that something odd was there.
package termtext

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Clean escapes every control character in s except newline and tab:
// C0 controls (ESC, CR, BEL, backspace …), DEL, C1 controls (U+0080 to
// U+009F, which some terminals take as CSI/OSC), bidi overrides that
// reorder what is shown, and bytes that are not UTF-8.
func Clean(s string) string { return clean(s, false) }

// Line is Clean for a value shown on one line: newlines are escaped too.
func Line(s string) string { return clean(s, true) }

func clean(s string, oneLine bool) string {
	if safe(s, oneLine) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case keep(r, oneLine):
			b.WriteString(s[i : i+n])
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += n
	}
	return b.String()
}

// safe is the fast path: most text has nothing to escape.
func safe(s string, oneLine bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return false // decode properly
		}
		if !keep(rune(c), oneLine) {
			return false
		}
	}
	return true
}

// keep reports whether r may reach the terminal as is.
func keep(r rune, oneLine bool) bool {
	switch {
	case r == '\n':
		return !oneLine
	case r == '\t':
		return true
	case r < 0x20 || r == 0x7f:
		return false
	case r >= 0x80 && r <= 0x9f:
		return false
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return false // bidi embeddings, overrides, isolates and marks
	case r == 0xfeff:
		return false
	}
	return true
}

// Styled is the final pass over a rendered screen that httpsify styled
// itself: SGR sequences (ESC [ params m, colours and bold from lipgloss)
// are kept, everything else Clean escapes is escaped. Outside text was
// already cleaned where it entered; this catches what slipped through.
func Styled(s string) string {
	if safe(s, false) {
		return s
	}
	var b strings.Builder
	for s != "" {
		i := strings.IndexByte(s, 0x1b)
		if i < 0 {
			b.WriteString(Clean(s))
			break
		}
		b.WriteString(Clean(s[:i]))
		if n := sgrLen(s[i:]); n > 0 {
			b.WriteString(s[i : i+n])
			s = s[i+n:]
			continue
		}
		b.WriteString(`\x1b`)
		s = s[i+1:]
	}
	return b.String()
}

// sgrLen returns the length of the SGR sequence s starts with, or 0.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s) && i < 64; i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c == ';', c == ':':
		case c == 'm':
			return i + 1
		default:
			return 0
		}
	}
	return 0
}

// Error wraps an error whose text came from outside so that its message
// is cleaned wherever it is printed, while errors.Is and errors.As still
// see the original.
func Error(err error) error {
	if err == nil {
		return nil
	}
	return cleanErr{err}
}

type cleanErr struct{ err error }

func (e cleanErr) Error() string { return Clean(e.err.Error()) }
func (e cleanErr) Unwrap() error { return e.err }

// Writer passes everything written through Styled, for output drawn by
// code that prints as it goes (the wizard's line mode).
func Writer(w io.Writer) io.Writer { return styledWriter{w} }

type styledWriter struct{ w io.Writer }

func (s styledWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(s.w, Styled(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
