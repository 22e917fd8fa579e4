package validate

import (
	"strconv"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

// maxBodySize is the largest client_max_body_size we write: beyond 100g a
// value is almost certainly a typo (and "0" already means unlimited).
const maxBodySize = 100 << 30

// BodySize validates an nginx size such as "10m": digits with an optional
// k, m or g suffix (any case). "0" means unlimited. The result is
// normalised: lower-case suffix, no leading zeros, and any zero is "0".
func BodySize(s string) (string, error) {
	if s == "" {
		return "", i18n.Errorf("size is empty")
	}
	digits, unit := s, ""
	mult := uint64(1)
	switch s[len(s)-1] {
	case 'k', 'K':
		unit, mult = "k", 1<<10
	case 'm', 'M':
		unit, mult = "m", 1<<20
	case 'g', 'G':
		unit, mult = "g", 1<<30
	}
	if unit != "" {
		digits = s[:len(s)-1]
	}
	if !isDigits(digits) {
		return "", i18n.Errorf("%s is not a size; use a number with an optional k, m or g suffix, like 10m", show(s))
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return "0", nil
	}
	// 12 digits is already far past the limit in any unit; checking the
	// length first keeps ParseUint and the multiplication from overflowing.
	if len(digits) > 12 {
		return "", i18n.Errorf("%s is larger than the 100g limit", show(s))
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || n*mult > maxBodySize {
		return "", i18n.Errorf("%s is larger than the 100g limit", show(s))
	}
	return digits + unit, nil
}
