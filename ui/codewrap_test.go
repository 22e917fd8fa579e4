package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A wrapped command, copied with its continuation lines, is the same
// command: broken only between words, every line within the width.
func TestWrapCommandIsCopySafe(t *testing.T) {
	cmd := "sudo httpsify apply --domain www.example-shop.test --upstream unix:/home/deploy/myproject/myproject.sock --email 'a b'@example.org --state-dir /var/lib/httpsify --yes"
	for _, w := range []int{40, 60, 80} {
		lines := WrapCommand("    ", "      ", cmd, w)
		var words []string
		for i, l := range lines {
			if ansi.StringWidth(l) > w && len(strings.Fields(strings.TrimSuffix(l, ` \`))) > 1 {
				t.Errorf("w=%d: line %q is %d cells", w, l, ansi.StringWidth(l))
			}
			if i < len(lines)-1 && !strings.HasSuffix(l, ` \`) {
				t.Errorf("w=%d: line %q lacks the continuation", w, l)
			}
			words = append(words, strings.Fields(strings.TrimSuffix(l, ` \`))...)
		}
		if got := strings.Join(words, " "); got != strings.Join(strings.Fields(cmd), " ") {
			t.Errorf("w=%d: rejoined\n%s\nwant\n%s", w, got, cmd)
		}
	}
}
