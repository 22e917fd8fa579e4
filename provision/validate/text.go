package validate

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/httpsify/httpsify/assets/i18n"
)

// maxShown caps how much of a bad value an error message repeats, so one
// pasted blob cannot flood the terminal.
const maxShown = 64

// show quotes s like %q (control characters and newlines escaped), cutting
// long values.
func show(s string) string {
	n := 0
	for i := range s {
		if n == maxShown {
			return strconv.Quote(s[:i]) + "..."
		}
		n++
	}
	return strconv.Quote(s)
}

// isInvisible reports runes that render as nothing: format characters such
// as U+200B, U+200D, U+00AD, bidi overrides, and variation selectors. IDNA
// silently drops some of them, so "exam\u00adple" would quietly become
// "example"; we would rather tell the user than guess.
func isInvisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) ||
		unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}

// checkText rejects what must never appear in any value, whatever its kind:
// invalid UTF-8, control characters, whitespace and invisible characters.
func checkText(s string) error {
	if !utf8.ValidString(s) {
		return i18n.Errorf("%s is not valid UTF-8", show(s))
	}
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			return i18n.Errorf("%s contains whitespace (%q)", show(s), r)
		case unicode.IsControl(r):
			return i18n.Errorf("%s contains the control character %q", show(s), r)
		case isInvisible(r):
			return i18n.Errorf("%s contains the invisible character %q", show(s), r)
		}
	}
	return nil
}
