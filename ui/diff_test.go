package ui

import (
	"strings"
	"testing"
)

func render(d []DiffLine) string {
	var b strings.Builder
	for _, l := range d {
		b.WriteByte(l.Op)
		b.WriteString(l.Text + "\n")
	}
	return b.String()
}

func TestDiff(t *testing.T) {
	got := render(Diff(strings.Split("a b c d", " "), strings.Split("a x c d e", " ")))
	want := " a\n-b\n+x\n c\n d\n+e\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestUnifiedHunks(t *testing.T) {
	var old, neu []string
	for i := 1; i <= 20; i++ {
		old = append(old, "line")
		neu = append(neu, "line")
	}
	old[2], old[17] = "old", "old too"
	neu[2], neu[17] = "changed", "changed too"
	got := render(Unified(strings.Join(old, "\n")+"\n", strings.Join(neu, "\n")+"\n", 1))
	want := "@@@ -2,3 +2,3 @@\n line\n-old\n+changed\n line\n@@@ -17,3 +17,3 @@\n line\n-old too\n+changed too\n line\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestUnifiedNewFile(t *testing.T) {
	got := render(Unified("", "a\nb\n", 3))
	if got != "@@@ -1,0 +1,2 @@\n+a\n+b\n" {
		t.Fatalf("got\n%s", got)
	}
}
