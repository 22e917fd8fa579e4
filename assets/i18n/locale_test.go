package i18n

import "testing"

func TestFromEnv(t *testing.T) {
	for _, c := range []struct {
		env       map[string]string
		want      Lang
		forwarded bool
	}{
		{map[string]string{}, En, false},
		{map[string]string{"LANG": "C"}, En, false},
		{map[string]string{"LANG": "C.UTF-8"}, En, false},
		{map[string]string{"LANG": "POSIX"}, En, false},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, Zh, true},
		{map[string]string{"LANG": "zh_SG.GB2312"}, Zh, true},
		{map[string]string{"LANG": "zh_Hans_CN.UTF-8"}, Zh, true},
		{map[string]string{"LANG": "zh_TW.UTF-8"}, En, true},
		{map[string]string{"LANG": "en_US.UTF-8"}, En, true},
		// POSIX order: LC_ALL, then LC_MESSAGES, then LANG.
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, Zh, true},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, En, true},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, Zh, true},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, En, false},
	} {
		got, fwd := FromEnv(func(k string) string { return c.env[k] })
		if got != c.want || fwd != c.forwarded {
			t.Errorf("%v: %s forwarded=%v, want %s %v", c.env, got, fwd, c.want, c.forwarded)
		}
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Lang{"en": En, "zh": Zh, "zh_CN": Zh, "zh-Hans": Zh, "EN": En} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "fr", "zh_TW", "chinese"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}
