package validate

import (
	"strconv"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Port checks a TCP port number.
func Port(n int) error {
	if n < 1 || n > 65535 {
		return i18n.Errorf("port %d is out of range; use 1-65535", n)
	}
	return nil
}

// parsePort parses a port typed as text: plain decimal digits only (no
// sign, no spaces), 1..65535.
func parsePort(s string) (int, error) {
	if s == "" {
		return 0, i18n.Errorf("port is missing")
	}
	if !isDigits(s) || len(s) > 5 {
		return 0, i18n.Errorf("port %s is not a number from 1 to 65535", show(s))
	}
	n, _ := strconv.Atoi(s)
	if err := Port(n); err != nil {
		return 0, err
	}
	return n, nil
}
