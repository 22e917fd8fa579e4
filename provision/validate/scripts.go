package validate

import (
	"fmt"
	"slices"
	"unicode"
)

// Mixed-script check, after UTS #39 "Highly Restrictive": a label may use
// one script, or Latin together with the CJK scripts that are normally
// written alongside it. This rejects the classic look-alike trick of a
// Cyrillic "а" inside a Latin word. It cannot catch whole-script
// confusables (an all-Cyrillic "раура1"); that needs the Unicode
// confusables table, which the standard library does not carry.
var allowedMixes = [][]string{
	{"Latin", "Han", "Hiragana", "Katakana"}, // Japanese
	{"Latin", "Han", "Bopomofo"},             // Chinese
	{"Latin", "Han", "Hangul"},               // Korean
}

// scriptNames is every script except Common and Inherited (digits,
// hyphens, combining marks), which take the script of their neighbours.
var scriptNames = func() []string {
	var names []string
	for name := range unicode.Scripts {
		if name != "Common" && name != "Inherited" {
			names = append(names, name)
		}
	}
	slices.Sort(names) // deterministic messages
	return names
}()

// scriptOf returns the script of r, trying the scripts already seen in
// the label first, since labels are mostly one script.
func scriptOf(r rune, seen []string) string {
	if r < 0x80 {
		if unicode.IsLetter(r) {
			return "Latin"
		}
		return ""
	}
	for _, name := range seen {
		if unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	for _, name := range scriptNames {
		if unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	return ""
}

// checkScripts rejects a Unicode label that mixes scripts.
func checkScripts(u string) error {
	var seen []string
	for _, r := range u {
		if sc := scriptOf(r, seen); sc != "" && !slices.Contains(seen, sc) {
			seen = append(seen, sc)
		}
	}
	if len(seen) <= 1 {
		return nil
	}
	for _, mix := range allowedMixes {
		if subset(seen, mix) {
			return nil
		}
	}
	return fmt.Errorf("mixes %s and %s letters, a common look-alike trick; use one script per label", seen[0], seen[1])
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
