package provision

import (
	"fmt"

	"github.com/httpsify/httpsify/assets/i18n"
)

// count says "1 file" or "3 files": messages read as sentences. Callers
// mark both words with i18n.N; Chinese has one form ("3 个文件").
func count(n int, one, many string) string {
	if i18n.Current() == i18n.Zh {
		return fmt.Sprintf("%d %s", n, i18n.Tr(many))
	}
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Count is count for the server implementations.
func Count(n int, one, many string) string { return count(n, one, many) }
