package validate

import (
	"slices"
	"strings"
	"testing"
)

func TestDomainValid(t *testing.T) {
	for _, tc := range []struct {
		in       string
		wildcard bool
		want     string
	}{
		{"example.com", false, "example.com"},
		{"WWW.Example.TEST.", false, "www.example.test"},
		{"Bücher.example", false, "xn--bcher-kva.example"},
		{"xn--bcher-kva.example", false, "xn--bcher-kva.example"},
		{"XN--BCHER-KVA.Example", false, "xn--bcher-kva.example"},
		{"ｅｘａｍｐｌｅ.com", false, "example.com"}, // fullwidth maps to ASCII
		{"example。com", false, "example.com"}, // ideographic full stop
		{"中国.example", false, "xn--fiqs8s.example"},
		{"日本語テスト.example", false, "xn--zckzah9945czlbtz6h.example"}, // Han + Katakana is fine
		{"пример.рф", false, "xn--e1afmkfd.xn--p1ai"},
		{"straße.de", false, "xn--strae-oqa.de"}, // non-transitional: ß is kept
		{"a-b.c-d.example", false, "a-b.c-d.example"},
		{"1.example", false, "1.example"},
		{"*.example.com", true, "*.example.com"},
		{"*.Bücher.example.", true, "*.xn--bcher-kva.example"},
		{"example.com", true, "example.com"},
		{strings.Repeat("a", 63) + ".example", false, strings.Repeat("a", 63) + ".example"},
		{name253(), false, name253()},
	} {
		got, err := Domain(tc.in, tc.wildcard)
		if err != nil || got != tc.want {
			t.Errorf("Domain(%q, %v) = %q, %v; want %q", tc.in, tc.wildcard, got, err, tc.want)
		}
	}
}

// name253 is a 253-character name: the longest allowed.
func name253() string {
	l := strings.Repeat("a", 61)
	return l + "." + l + "." + l + "." + l + ".abcde"
}

func TestDomainInvalid(t *testing.T) {
	for _, tc := range []struct {
		in       string
		wildcard bool
		want     string
	}{
		{"", false, "empty"},
		{"localhost", false, "certificate needs a full domain name"},
		{"localhost.", false, "certificate needs a full domain name"},
		{"1.2.3.4", false, "IP addresses cannot get a certificate"},
		{"1.2.3.4.", false, "IP addresses cannot get a certificate"},
		{"::1", false, "IP addresses cannot get a certificate"},
		{"[::1]", false, "IP addresses cannot get a certificate"},
		{"[2001:db8::1]:443", false, "IP addresses cannot get a certificate"},
		{"fe80::1%eth0", false, "IP addresses cannot get a certificate"},
		{"127.1", false, "all-numeric"},
		{"example.123", false, "all-numeric"},
		{"example.com:443", false, "without scheme, port or path"},
		{"https://example.com", false, "without scheme, port or path"},
		{"example.com/x", false, "without scheme, port or path"},
		{"a_b.example", false, `'_'`},
		{"a b.example", false, "whitespace"},
		{"example..com", false, "empty label"},
		{".example.com", false, "empty label"},
		{"example.com..", false, "empty label"},
		{"-a.example", false, "hyphen"},
		{"a-.example", false, "hyphen"},
		{"ab--cd.example", false, "reserved"},
		{"xn--abc.example", false, "not a valid internationalized label"},
		{"xn--example-.com", false, "hyphen"},
		{strings.Repeat("a", 64) + ".example", false, "longer than 63"},
		{"a" + name253(), false, "longer than 253"},
		{"*.example.com", false, "wildcard names are not allowed"},
		{"a*.example.com", true, "whole first label"},
		{"*.*.example.com", true, "whole first label"},
		{"www.*.example.com", true, "whole first label"},
		{"*.com", true, "full domain name after it"},
		{"*", true, "full domain name after it"},
		{"p\u0430ypal.example", false, "mixes Latin and Cyrillic"}, // Cyrillic а
		{"xn--pypal-4ve.example", false, "mixes Latin and Cyrillic"},
		{"exa\u200dmple.com", false, "invisible"},
		{"exam\u00adple.com", false, "invisible"},
		{"a\ufe0fb.example", false, "invisible"},
		{"a\u2488.example", false, "not allowed in domain names"},
		{"ex\xffample.com", false, "UTF-8"},
	} {
		got, err := Domain(tc.in, tc.wildcard)
		if err == nil {
			t.Errorf("Domain(%q, %v) = %q; want error containing %q", tc.in, tc.wildcard, got, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Domain(%q, %v) error %q; want it to contain %q", tc.in, tc.wildcard, err, tc.want)
		}
	}
}

func TestDomains(t *testing.T) {
	got, err := Domains([]string{"B.example", "a.example", "b.example.", "Bücher.example", "xn--bcher-kva.example", "a.example"}, false)
	want := []string{"b.example", "a.example", "xn--bcher-kva.example"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("Domains = %q, %v; want %q", got, err, want)
	}
	if _, err := Domains(nil, false); err == nil || !strings.Contains(err.Error(), "no domain names") {
		t.Errorf("Domains(nil) error = %v", err)
	}
	if _, err := Domains([]string{"ok.example", "bad;example"}, false); err == nil || !strings.Contains(err.Error(), `';'`) {
		t.Errorf("Domains with a bad name: error = %v", err)
	}
	if got, err := Domains([]string{"*.example.com", "example.com"}, true); err != nil || len(got) != 2 {
		t.Errorf("Domains with wildcard = %q, %v", got, err)
	}
}
