package provision

import "fmt"

// count says "1 file" or "3 files": messages read as sentences.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Count is count for the server implementations.
func Count(n int, one, many string) string { return count(n, one, many) }
