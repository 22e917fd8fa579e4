package i18n

import (
	"strings"
)

// FromEnv picks the language from the locale, the first of LC_ALL,
// LC_MESSAGES and LANG that is set (POSIX's order): zh_CN, zh_SG and
// zh_Hans (any encoding or modifier) are Chinese, everything else
// English. forwarded is false when no locale is set or it is C/POSIX,
// as over an SSH session that forwards none: the wizard then offers the
// switch on its first screen.
func FromEnv(getenv func(string) string) (l Lang, forwarded bool) {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		switch base, _, _ := strings.Cut(v, "."); base {
		case "C", "POSIX":
			return En, false
		}
		if isSimplifiedChinese(v) {
			return Zh, true
		}
		return En, true
	}
	return En, false
}

func isSimplifiedChinese(locale string) bool {
	v := strings.ReplaceAll(locale, "-", "_")
	for _, p := range []string{"zh_CN", "zh_SG", "zh_Hans"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}

// Parse reads --lang's value: en or zh (zh-CN, zh_CN and zh-Hans too).
func Parse(s string) (Lang, error) {
	switch v := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", "-")); v {
	case "en", "en-us", "en-gb", "c":
		return En, nil
	case "zh", "zh-cn", "zh-hans", "zh-sg":
		return Zh, nil
	}
	return "", Errorf("%q is not a language httpsify speaks: en or zh", s)
}
