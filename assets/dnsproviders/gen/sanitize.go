package main

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// The catalog's text comes from outside and is shown in a terminal:
// escape sequences could recolour, move the cursor or retitle the window,
// and bidi or zero-width characters could make a variable name read as
// another. They are removed here, once, so every reader of the catalog
// gets clean text.

// oneLine makes s a single clean line: escape sequences and invisible
// characters removed, any run of whitespace or control characters turned
// into one space, ends trimmed.
func oneLine(s string) string {
	s = ansi.Strip(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = true
			continue
		case invisible(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// paragraphs cleans a multi-line text line by line (see oneLine), keeping
// line breaks and at most one blank line between paragraphs.
func paragraphs(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		l = oneLine(l)
		if l == "" && (len(lines) == 0 || lines[len(lines)-1] == "") {
			continue
		}
		lines = append(lines, l)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// invisible reports runes that render as nothing but change how text
// reads: format characters (bidi overrides, zero-width joiners, soft
// hyphens), variation selectors and other default-ignorable code points.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) ||
		unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}
