package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Paths are not broken at hyphens; too-long words are cut.
func TestWrap(t *testing.T) {
	got := Wrap("the files are in /var/lib/my-site/live now", 20)
	if got := Wrap("see /etc/my-site.conf", 21); got != "see /etc/my-site.conf" {
		t.Fatalf("got %q", got)
	}
	if want := "the files are in\n/var/lib/my-site/liv\ne now"; got != want {
		t.Fatalf("got %q", got)
	}
	if got := Hang("  ! ", "one two three four", 16); got != "  ! one two\n    three four" {
		t.Fatalf("hang %q", got)
	}
}

func TestFit(t *testing.T) {
	got := Fit("1234567890\nb\nc", 5, 2)
	if got != "1234…\nb" {
		t.Fatalf("got %q", got)
	}
	for _, l := range strings.Split(got, "\n") {
		if ansi.StringWidth(l) > 5 {
			t.Fatalf("too wide: %q", l)
		}
	}
}

// Without colour the config comes back as it is, tabs expanded.
func TestHighlightPlain(t *testing.T) {
	got := HighlightNginx(NewTheme(false), "server {\n\tlisten 80;\n}\n")
	if strings.Join(got, "\n") != "server {\n    listen 80;\n}" {
		t.Fatalf("got %q", got)
	}
}

// With colour every line keeps its text and carries its own styles.
func TestHighlightColour(t *testing.T) {
	src := "server {\n    # c\n    add_header X \"a b\" always;\n    return 301 https://$host;\n}"
	got := HighlightNginx(NewTheme(true), src)
	lines := strings.Split(src, "\n")
	if len(got) != len(lines) {
		t.Fatalf("%d lines, want %d", len(got), len(lines))
	}
	for i := range lines {
		if ansi.Strip(got[i]) != lines[i] {
			t.Errorf("line %d: %q", i, ansi.Strip(got[i]))
		}
	}
}
