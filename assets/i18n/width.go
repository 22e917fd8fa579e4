package i18n

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// PadRight pads s with spaces to w display cells (a CJK character takes
// two), as %-*s does for ASCII, for tables whose labels are translated.
func PadRight(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
