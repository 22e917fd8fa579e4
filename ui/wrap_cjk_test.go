package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Chinese is written without spaces: Wrap breaks between its characters
// (by display width, two cells each), keeps ASCII words and paths whole,
// and keeps closing marks off the start of a line.
func TestWrapChinese(t *testing.T) {
	text := "在云服务商的安全组或防火墙里，对公网放行 443 端口（以及 80 端口）：httpsify 的检查是在 /etc/nginx/sites-available/app 上做的。"
	for _, w := range []int{20, 21, 33, 40, 58, 76} {
		got := Wrap(text, w)
		lines := strings.Split(got, "\n")
		if strings.ReplaceAll(strings.Join(lines, ""), " ", "") != strings.ReplaceAll(text, " ", "") {
			t.Fatalf("w=%d: text changed:\n%s", w, got)
		}
		for i, l := range lines {
			if n := ansi.StringWidth(l); n > w {
				t.Errorf("w=%d: line %q is %d cells", w, l, n)
			}
			if i > 0 && strings.ContainsAny(string([]rune(l)[:1]), noLineStart) {
				t.Errorf("w=%d: line %q starts with a closing mark", w, l)
			}
			if strings.HasSuffix(l, "（") {
				t.Errorf("w=%d: line %q ends with an opening mark", w, l)
			}
			if i < len(lines)-1 && w >= 40 && ansi.StringWidth(l) < w-4 && !strings.HasSuffix(l, "httpsify") {
				// A CJK line is filled: it breaks where the width ends,
				// not at the last space.
				next := []rune(lines[i+1])[0]
				if ansi.StringWidth(string(next)) == 2 && !strings.ContainsRune(noLineStart, next) {
					t.Errorf("w=%d: line %q breaks early before %q", w, l, string(next))
				}
			}
		}
		for _, word := range []string{"httpsify", "/etc/nginx/sites-available/app"} {
			if ansi.StringWidth(word) <= w && !strings.Contains(got, word) {
				t.Errorf("w=%d: %q was broken:\n%s", w, word, got)
			}
		}
	}
}

func TestWrapEnglishUnchanged(t *testing.T) {
	text := "Open port 443 (and 80) to the internet in your cloud provider's security group or firewall: httpsify's checks ran from /tmp/my-site itself."
	got := Wrap(text, 30)
	want := "Open port 443 (and 80) to the\ninternet in your cloud\nprovider's security group or\nfirewall: httpsify's checks\nran from /tmp/my-site itself."
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestPadRightByDisplayWidth(t *testing.T) {
	if got := PadRight("修改", 7); ansi.StringWidth(got) != 7 {
		t.Fatalf("%q is %d cells", got, ansi.StringWidth(got))
	}
	if got := PadRight("update", 7); got != "update " {
		t.Fatalf("%q", got)
	}
}

// Panning and cutting Chinese text never splits a character: every piece
// fits its room in display cells and holds only whole characters.
func TestPanLineChinese(t *testing.T) {
	text := "证书文件：/etc/httpsify/live/www.example.com，有效期至 2026-03-01"
	for room := 4; room <= 30; room++ {
		for x := 0; x < ansi.StringWidth(text); x++ {
			got := PanLine(text, x, room)
			if n := ansi.StringWidth(got); n > room {
				t.Fatalf("x=%d room=%d: %q is %d cells", x, room, got, n)
			}
			if strings.ContainsRune(got, '\uFFFD') {
				t.Fatalf("x=%d room=%d: %q cuts a character", x, room, got)
			}
		}
		if got := Ellipsize(text, room); ansi.StringWidth(got) > room {
			t.Fatalf("Ellipsize(%d) = %q", room, got)
		}
		if got := Fit(text, room, 1); ansi.StringWidth(got) > room {
			t.Fatalf("Fit(%d) = %q", room, got)
		}
	}
}
