package i18n

import (
	"regexp"
	"slices"
	"strconv"
)

// verbRe matches one fmt verb with its flags, width, precision and
// explicit argument indexes.
var verbRe = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*(\d+|\*)?(\.(\d+|\*)?)?(\[\d+\])?[a-zA-Z%]`)

// Verbs lists a format's verbs as "argument:verb" in argument order
// (fmt's own numbering, explicit [n] indexes included), so a translation
// may move an argument with %[2]s but not lose, add or change one.
func Verbs(format string) []string {
	var out []string
	arg := 1
	for _, m := range verbRe.FindAllStringSubmatch(format, -1) {
		v := m[0]
		verb := v[len(v)-1:]
		if verb == "%" {
			continue
		}
		for _, ix := range []string{m[1], m[5]} {
			if ix != "" {
				arg, _ = strconv.Atoi(ix[1 : len(ix)-1])
			}
		}
		if m[2] == "*" {
			out = append(out, strconv.Itoa(arg)+":*")
			arg++
		}
		if m[4] == "*" {
			out = append(out, strconv.Itoa(arg)+":*")
			arg++
		}
		out = append(out, strconv.Itoa(arg)+":"+verb)
		arg++
	}
	slices.SortStableFunc(out, func(a, b string) int {
		ai, _ := strconv.Atoi(a[:len(a)-2])
		bi, _ := strconv.Atoi(b[:len(b)-2])
		return ai - bi
	})
	return out
}
