package validate

import (
	"strings"
	"testing"
)

func TestEmailValid(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"admin@example.com", "admin@example.com"},
		{"Admin.Ops+tls@Example.COM", "Admin.Ops+tls@example.com"}, // local part keeps its case
		{"a_b-c@sub.example.org.", "a_b-c@sub.example.org"},
		{"ops@bücher.example", "ops@xn--bcher-kva.example"},
		{strings.Repeat("a", 64) + "@example.com", strings.Repeat("a", 64) + "@example.com"},
	} {
		got, err := Email(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Email(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestEmailInvalid(t *testing.T) {
	l50 := strings.Repeat("a", 50)
	for _, tc := range []struct{ in, want string }{
		{"", "empty"},
		{"admin", "missing the @"},
		{"admin@", "nothing after the @"},
		{"@example.com", "nothing before the @"},
		{"a@b@example.com", "more than one @"},
		{"Admin <admin@example.com>", "whitespace"},
		{"<admin@example.com>", "without a name, quotes or <>"},
		{`"a b"@example.com`, "whitespace"},
		{`"ab"@example.com`, "without a name, quotes or <>"},
		{"a;b@example.com", `';'`},
		{"a'b@example.com", `'\''`},
		{"a$b@example.com", `'$'`},
		{"a{b}@example.com", `'{'`},
		{"a#b@example.com", `'#'`},
		{"a`b@example.com", "'`'"},
		{"ü@example.com", `'ü'`},
		{"admin@example.com\nBcc: x@y.z", "whitespace"},
		{"admin@example.com\r", "whitespace"},
		{".a@example.com", "dot"},
		{"a.@example.com", "dot"},
		{"a..b@example.com", "dot"},
		{strings.Repeat("a", 65) + "@example.com", "longer than 64"},
		{"admin@localhost", "full domain name"},
		{"admin@[127.0.0.1]", "IP addresses"},
		{"admin@127.0.0.1", "IP addresses"},
		{"admin@*.example.com", "wildcard"},
		{"admin@exa_mple.com", `'_'`},
		{strings.Repeat("a", 64) + "@" + l50 + "." + l50 + "." + l50 + "." + l50 + ".com", "longer than 254"},
	} {
		got, err := Email(tc.in)
		if err == nil {
			t.Errorf("Email(%q) = %q; want error containing %q", tc.in, got, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Email(%q) error %q; want it to contain %q", tc.in, err, tc.want)
		}
	}
}
