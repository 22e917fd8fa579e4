package validate

import (
	"strings"
	"testing"
)

func TestBodySizeValid(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"0", "0"},
		{"000", "0"},
		{"0m", "0"},
		{"1", "1"},
		{"1024", "1024"},
		{"10m", "10m"},
		{"10M", "10m"},
		{"512k", "512k"},
		{"512K", "512k"},
		{"1G", "1g"},
		{"010m", "10m"},
		{"100g", "100g"},
		{"102400m", "102400m"},
		{"107374182400", "107374182400"}, // 100g in bytes
	} {
		got, err := BodySize(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("BodySize(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestBodySizeInvalid(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "empty"},
		{"m", "not a size"},
		{"10mb", "not a size"},
		{"10 m", "not a size"},
		{"1.5m", "not a size"},
		{"-1", "not a size"},
		{"+1", "not a size"},
		{"10t", "not a size"},
		{"0x10", "not a size"},
		{"10m;", "not a size"},
		{"$size", "not a size"},
		{"１０m", "not a size"}, // fullwidth digits
		{"101g", "100g limit"},
		{"102401m", "100g limit"},
		{"107374182401", "100g limit"},
		{strings.Repeat("9", 30) + "k", "100g limit"},
		{"18446744073709551616", "100g limit"}, // 2^64
	} {
		got, err := BodySize(tc.in)
		if err == nil {
			t.Errorf("BodySize(%q) = %q; want error containing %q", tc.in, got, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("BodySize(%q) error %q; want it to contain %q", tc.in, err, tc.want)
		}
	}
}
