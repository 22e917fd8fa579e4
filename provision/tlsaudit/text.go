package tlsaudit

import (
	"strconv"
	"unicode"
)

// shown renders text taken from the user's config for a terminal: as is
// when every rune is printable, Go-quoted (control characters escaped)
// otherwise, and cut when long.
func shown(s string) string {
	const max = 64
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}
