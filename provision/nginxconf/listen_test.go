package nginxconf

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseListen(t *testing.T) {
	tests := []struct {
		raw  string
		want Listen
	}{
		{"80", Listen{Port: 80}},
		{"8080 default_server", Listen{Port: 8080, DefaultServer: true}},
		{"443 ssl http2", Listen{Port: 443, SSL: true, HTTP2: true}},
		{"127.0.0.1", Listen{Addr: "127.0.0.1", Port: 80}},
		{"127.0.0.1:8000 default", Listen{Addr: "127.0.0.1", Port: 8000, DefaultServer: true}},
		{"*:443 ssl", Listen{Port: 443, SSL: true}},
		{"*", Listen{Port: 80}},
		{"[::]:443 ssl ipv6only=on", Listen{Addr: "[::]", Port: 443, SSL: true, IPv6: true}},
		{"[::1]", Listen{Addr: "[::1]", Port: 80, IPv6: true}},
		{"localhost:81", Listen{Addr: "localhost", Port: 81}},
		{"example.test", Listen{Addr: "example.test", Port: 80}},
	}
	for _, tt := range tests {
		args := strings.Fields(tt.raw)
		got, err := parseListen(args)
		tt.want.Raw = args
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: got %+v, %v; want %+v", tt.raw, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "unix:/run/x.sock", "[::1", "[::1]x", "0", "65536", "1.2.3.4:", "1.2.3.4:+80", "x:http"} {
		if l, err := parseListen(strings.Fields(bad)); err == nil {
			t.Errorf("%q: no error, got %+v", bad, l)
		}
	}
}
