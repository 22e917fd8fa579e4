package validate

import (
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

const maxPath = 4096 // PATH_MAX on Linux

// Path validates an absolute path for a config file or directory. Only
// [A-Za-z0-9._/@+-] is allowed: enough for real server paths, and nothing
// nginx or Apache would read as syntax (no spaces, quotes, ';', '$', '#').
// ".." and "." elements and "//" are rejected rather than cleaned, so the
// path written is the path the user asked for. A trailing "/" is dropped.
func Path(s string) (string, error) {
	if s == "" {
		return "", i18n.Errorf("path is empty")
	}
	if len(s) > maxPath {
		return "", i18n.Errorf("%s is longer than %d characters", show(s), maxPath)
	}
	if err := checkText(s); err != nil {
		return "", err
	}
	if s[0] != '/' {
		return "", i18n.Errorf("%s is not an absolute path; it must start with /", show(s))
	}
	for _, r := range s {
		if !isPathChar(r) {
			return "", i18n.Errorf("%s contains %q; paths may only use letters, digits and . _ / @ + -", show(s), r)
		}
	}
	if strings.Contains(s, "//") {
		return "", i18n.Errorf("%s contains \"//\"", show(s))
	}
	for _, el := range strings.Split(s, "/") {
		if el == "." || el == ".." {
			return "", i18n.Errorf("%s contains a %q element; give the path without it", show(s), el)
		}
	}
	if len(s) > 1 {
		s = strings.TrimSuffix(s, "/")
	}
	return s, nil
}

func isPathChar(r rune) bool {
	return r < 0x80 && isLDH(byte(r)) || r == '.' || r == '_' || r == '/' || r == '@' || r == '+'
}
