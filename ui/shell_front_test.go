package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A step before the numbered ones (the sites screen) has its title
// alone in the header; the numbered steps still count from 1, and
// StartAt and Current count them.
func TestShellFrontStep(t *testing.T) {
	home, a, b := &testStep{title: "Sites"}, &testStep{title: "A"}, &testStep{title: "B"}
	sh := NewShell(NewTheme(false), Keys, home, a, b)
	sh.Front = 1
	sh.Init()
	if got := ansi.Strip(strings.Split(sh.View(), "\n")[0]); got != "httpsify  Sites" || sh.Current() != -1 {
		t.Fatalf("header %q at %d", got, sh.Current())
	}
	sh.Update(NextMsg{Summary: "chose"})
	if got := ansi.Strip(strings.Split(sh.View(), "\n")[0]); got != "httpsify  ◉○  Step 1 of 2 · A" {
		t.Fatalf("header %q", got)
	}
	if sh.Current() != 0 || sh.Step() != a {
		t.Fatalf("at %d", sh.Current())
	}
	sh2 := NewShell(NewTheme(false), Keys, home, a, b)
	sh2.Front = 1
	if sh2.StartAt(1).Step() != b {
		t.Fatal("StartAt does not count the numbered steps")
	}
}
