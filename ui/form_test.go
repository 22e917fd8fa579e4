package ui

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

func typeInto(f *Form, s string) {
	for _, r := range s {
		f.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

var enter = tea.KeyMsg{Type: tea.KeyEnter}

// A refusal shows on Enter (or on leaving the field), not while the
// first answer is being typed; a valid value's note shows at once.
func TestFormErrorsAfterEnterNotWhileTyping(t *testing.T) {
	name := NewText("Name", "")
	name.Check = func(v string) (string, error) {
		if strings.Contains(v, "_") {
			return "", errors.New("no underscores")
		}
		return "using " + v, nil
	}
	f := NewForm(NewTheme(false), Keys, name)
	if v := ansi.Strip(f.View(80)); strings.Contains(v, "✗") {
		t.Fatalf("an untouched empty field shows an error:\n%s", v)
	}
	typeInto(f, "a_b")
	if v := ansi.Strip(f.View(80)); strings.Contains(v, "✗") {
		t.Fatalf("an error while typing the first answer:\n%s", v)
	}
	if _, done := f.Update(enter); done {
		t.Fatal("submitted an invalid value")
	}
	if v := ansi.Strip(f.View(80)); !strings.Contains(v, "✗ no underscores") {
		t.Fatalf("no error after Enter:\n%s", v)
	}
	f.Update(tea.KeyMsg{Type: tea.KeyBackspace})
	f.Update(tea.KeyMsg{Type: tea.KeyBackspace})
	typeInto(f, "b")
	if v := ansi.Strip(f.View(80)); !strings.Contains(v, "✓ using ab") {
		t.Fatalf("no live note:\n%s", v)
	}
	if _, done := f.Update(enter); !done {
		t.Fatal("a valid last field did not submit")
	}
}

// Disabled options are shown but the cursor never lands on them.
func TestFormChoiceSkipsDisabled(t *testing.T) {
	c := NewChoice("How", "a", Option{Label: "A", Value: "a"}, Option{Label: "B: not available", Value: "b", Disabled: true}, Option{Label: "C", Value: "c"})
	f := NewForm(NewTheme(false), Keys, c)
	f.Update(tea.KeyMsg{Type: tea.KeyDown})
	if c.Value() != "c" {
		t.Fatalf("value %q after down, want c", c.Value())
	}
	f.Update(tea.KeyMsg{Type: tea.KeyUp})
	if c.Value() != "a" {
		t.Fatalf("value %q after up, want a", c.Value())
	}
	if v := ansi.Strip(f.View(80)); !strings.Contains(v, "B: not available") {
		t.Fatalf("disabled option hidden:\n%s", v)
	}
}

func TestFormConfirmRequired(t *testing.T) {
	c := NewConfirm("Agree?", false)
	c.Require = "you must agree"
	f := NewForm(NewTheme(false), Keys, c)
	if _, done := f.Update(enter); done {
		t.Fatal("No was accepted")
	}
	if v := ansi.Strip(f.View(80)); !strings.Contains(v, "you must agree") {
		t.Fatalf("no reason shown:\n%s", v)
	}
	if _, done := f.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")}); !done {
		t.Fatal("y did not submit")
	}
}

// Hidden fields are skipped by Tab and by the view.
func TestFormHidden(t *testing.T) {
	a, b, c := NewText("A", "x"), NewText("B", ""), NewText("C", "z")
	b.Hidden = func() bool { return true }
	f := NewForm(NewTheme(false), Keys, a, b, c)
	f.Update(tea.KeyMsg{Type: tea.KeyTab})
	if f.Focused() != c {
		t.Fatal("Tab did not skip the hidden field")
	}
	if strings.Contains(ansi.Strip(f.View(80)), "B") {
		t.Fatal("hidden field shown")
	}
}

func TestAskAccessible(t *testing.T) {
	name := NewText("Name", "keep")
	name.Check = func(v string) (string, error) {
		if v == "bad" {
			return "", errors.New("not that")
		}
		return "", nil
	}
	pick := NewChoice("Pick", "a", Option{Label: "A", Value: "a"}, Option{Label: "B (not available)", Value: "b", Disabled: true}, Option{Label: "C", Value: "c"})
	ok := NewConfirm("OK?", false)
	var out strings.Builder
	err := Ask(strings.NewReader("bad\n\n2\ny\n"), &out, name, pick, ok) // B is not offered: C is 2
	if err != nil {
		t.Fatal(err)
	}
	if name.Value() != "keep" || pick.Value() != "c" || !ok.Yes {
		t.Fatalf("answers %q %q %v\n%s", name.Value(), pick.Value(), ok.Yes, out.String())
	}
	if !strings.Contains(out.String(), "not that") || !strings.Contains(out.String(), "B (not available)") {
		t.Fatalf("output:\n%s", out.String())
	}
}

// Input that ends before a required answer is an error, not a loop.
func TestAskEndOfInput(t *testing.T) {
	ok := NewConfirm("OK?", false)
	ok.Require = "must agree"
	if err := Ask(strings.NewReader(""), &strings.Builder{}, ok); err == nil {
		t.Fatal("no error at end of input")
	}
}

// Enter on a form whose pre-filled answers are all valid finishes it from
// any field; when one is missing, Enter goes to it. Tab and ↓ walk.
func TestFormEnterFinishesPrefilled(t *testing.T) {
	a, b := NewText("A", "x"), NewText("B", "y")
	f := NewForm(NewTheme(false), Keys, a, b)
	if _, done := f.Update(enter); !done {
		t.Fatal("Enter on valid pre-filled answers did not finish")
	}
	a, b = NewText("A", "x"), NewText("B", "")
	b.Check = func(v string) (string, error) {
		if v == "" {
			return "", errors.New("needed")
		}
		return "", nil
	}
	c := NewText("C", "z")
	f = NewForm(NewTheme(false), Keys, a, c, b)
	if _, done := f.Update(enter); done || f.Focused() != b {
		t.Fatalf("Enter did not go to the missing answer (focus %v)", f.Focused().Title)
	}
	f.Update(tea.KeyMsg{Type: tea.KeyShiftTab})
	f.Update(tea.KeyMsg{Type: tea.KeyUp})
	if f.Focused() != a {
		t.Fatalf("shift+tab, ↑ did not walk back to A (focus %v)", f.Focused().Title)
	}
	f.Update(tea.KeyMsg{Type: tea.KeyDown})
	if f.Focused() != c {
		t.Fatal("↓ did not walk to the next field")
	}
}

// A secret typed in accessible mode from a pipe is kept (huh's password
// prompt needs a terminal and returned an empty value), and never echoed.
func TestAskSecretFromAPipe(t *testing.T) {
	key := NewText("EAB HMAC key", "")
	key.SetSecret()
	after := NewText("Next", "")
	var out strings.Builder
	if err := Ask(strings.NewReader("s3cr3t-value\nnext\n"), &out, key, after); err != nil {
		t.Fatal(err)
	}
	if key.Value() != "s3cr3t-value" || after.Value() != "next" {
		t.Fatalf("answers %q %q\n%s", key.Value(), after.Value(), out.String())
	}
	if strings.Contains(out.String(), "s3cr3t-value") {
		t.Fatalf("the secret was echoed:\n%s", out.String())
	}
}
