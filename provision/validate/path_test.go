package validate

import (
	"strings"
	"testing"
)

func TestPathValid(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/", "/"},
		{"/etc/nginx/sites-available/example.com.conf", "/etc/nginx/sites-available/example.com.conf"},
		{"/etc/nginx/conf.d/", "/etc/nginx/conf.d"},
		{"/home/u/.config/a_b+c@d", "/home/u/.config/a_b+c@d"},
		{"/srv/...", "/srv/..."},
		{"/" + strings.Repeat("a", 4095), "/" + strings.Repeat("a", 4095)},
	} {
		got, err := Path(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Path(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestPathInvalid(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "empty"},
		{"etc/nginx", "absolute"},
		{"./x", "absolute"},
		{"~/x", "absolute"},
		{"/etc/../shadow", `".."`},
		{"/etc/nginx/..", `".."`},
		{"/etc/./nginx", `"."`},
		{"//etc", `"//"`},
		{"/etc//nginx", `"//"`},
		{"/etc/nginx/a b", `' '`},
		{"/etc/nginx/a;b", `';'`},
		{"/etc/nginx/$host", `'$'`},
		{"/etc/nginx/a\nb", `'\n'`},
		{"/etc/nginx/a\x00", `'\x00'`},
		{"/etc/nginx/ä", `'ä'`},
		{"/etc/nginx/a:b", `':'`},
		{"/etc/nginx/a%20", `'%'`},
		{"/" + strings.Repeat("a", 4096), "longer than 4096"},
	} {
		got, err := Path(tc.in)
		if err == nil {
			t.Errorf("Path(%q) = %q; want error containing %q", tc.in, got, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Path(%q) error %q; want it to contain %q", tc.in, err, tc.want)
		}
	}
}

func TestPort(t *testing.T) {
	for _, n := range []int{1, 80, 443, 65535} {
		if err := Port(n); err != nil {
			t.Errorf("Port(%d) = %v", n, err)
		}
	}
	for _, n := range []int{-1, 0, 65536, 1 << 40} {
		if err := Port(n); err == nil || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("Port(%d) = %v; want out of range", n, err)
		}
	}
}
