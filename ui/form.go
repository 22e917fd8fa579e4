package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Form is a column of fields with one in focus. It does not handle Esc:
// the step decides what going back means.
type Form struct {
	Fields []*Field
	focus  int
	theme  Theme
	keys   KeyMap
}

// NewForm focuses the first visible field.
func NewForm(theme Theme, keys KeyMap, fields ...*Field) *Form {
	f := &Form{Fields: fields, theme: theme, keys: keys, focus: -1}
	f.move(1)
	f.focusCmd()
	return f
}

// Focused is the field with focus (nil when every field is hidden).
func (f *Form) Focused() *Field {
	if f.focus < 0 || f.focus >= len(f.Fields) {
		return nil
	}
	return f.Fields[f.focus]
}

// FocusOn moves focus to the given field, e.g. the one an engine error
// names.
func (f *Form) FocusOn(target *Field) tea.Cmd {
	for i, fl := range f.Fields {
		if fl == target && !fl.hidden() {
			f.blur()
			f.focus = i
			return f.focusCmd()
		}
	}
	return nil
}

// Typing reports whether a text field has focus.
func (f *Form) Typing() bool {
	fl := f.Focused()
	return fl != nil && fl.Kind == TextField
}

// Init starts the cursor of the focused field.
func (f *Form) Init() tea.Cmd { return f.focusCmd() }

func (f *Form) focusCmd() tea.Cmd {
	if fl := f.Focused(); fl != nil && fl.Kind == TextField {
		return fl.input.Focus()
	}
	return nil
}

func (f *Form) blur() {
	if fl := f.Focused(); fl != nil && fl.Kind == TextField {
		fl.input.Blur()
	}
}

// move focuses the next (dir 1) or previous (-1) visible field and
// reports whether there was one.
func (f *Form) move(dir int) bool {
	for i := f.focus + dir; i >= 0 && i < len(f.Fields); i += dir {
		if !f.Fields[i].hidden() {
			f.blur()
			f.focus = i
			return true
		}
	}
	return false
}

// Update handles a message; submitted is true when Enter was pressed on
// the last field and every visible field is valid.
func (f *Form) Update(msg tea.Msg) (cmd tea.Cmd, submitted bool) {
	fl := f.Focused()
	if fl == nil {
		return nil, false
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		if fl.Kind == TextField {
			fl.input, cmd = fl.input.Update(msg)
		}
		return cmd, false
	}
	fl.err = nil
	switch {
	case key.Matches(km, f.keys.Next):
		if _, err := fl.Validate(); err != nil {
			fl.err, fl.touched = err, true
			return nil, false
		}
		// Enter finishes the step once every answer is valid (the
		// pre-filled ones included); otherwise it goes to the first
		// field still needing one. Tab and the arrows walk the fields.
		fl.touched = true
		if f.allValid() {
			return nil, true
		}
		f.firstInvalid()
		return f.focusCmd(), false
	case fl.Kind == TextField && (km.Type == tea.KeyDown || km.Type == tea.KeyUp):
		dir := map[bool]int{true: 1, false: -1}[km.Type == tea.KeyDown]
		fl.touched = true
		if f.move(dir) {
			return f.focusCmd(), false
		}
		return nil, false
	case key.Matches(km, f.keys.NextField):
		fl.touched = true
		if f.move(1) {
			return f.focusCmd(), false
		}
		return nil, false
	case key.Matches(km, f.keys.PrevField):
		fl.touched = true
		if f.move(-1) {
			return f.focusCmd(), false
		}
		return nil, false
	}
	switch fl.Kind {
	case ChoiceField:
		switch {
		case key.Matches(km, f.keys.Up):
			fl.cursor = fl.step(fl.cursor, -1)
		case key.Matches(km, f.keys.Down):
			fl.cursor = fl.step(fl.cursor, 1)
		}
	case ConfirmField:
		switch {
		case key.Matches(km, f.keys.Yes):
			fl.Yes = true
			return f.Update(tea.KeyMsg{Type: tea.KeyEnter})
		case key.Matches(km, f.keys.No):
			fl.Yes = false
			return f.Update(tea.KeyMsg{Type: tea.KeyEnter})
		case key.Matches(km, f.keys.Left, f.keys.Right):
			fl.Yes = !fl.Yes
		}
	case TextField:
		// Not touched yet: a refusal shows once the field is left or on
		// Enter, not after the first keystroke of a valid answer.
		fl.input, cmd = fl.input.Update(msg)
	}
	return cmd, false
}

// allValid reports, without moving focus, whether every visible field
// holds a valid answer.
func (f *Form) allValid() bool {
	for _, fl := range f.Fields {
		if fl.hidden() {
			continue
		}
		if _, err := fl.Validate(); err != nil {
			return false
		}
	}
	return true
}

// firstInvalid focuses and returns the first visible field that is not
// valid, so a submit never skips a field the user tabbed past.
func (f *Form) firstInvalid() *Field {
	for _, fl := range f.Fields {
		if fl.hidden() {
			continue
		}
		if _, err := fl.Validate(); err != nil {
			fl.err, fl.touched = err, true
			f.FocusOn(fl)
			return fl
		}
	}
	return nil
}

// View renders every visible field for width w.
func (f *Form) View(w int) string {
	var b strings.Builder
	for i, fl := range f.Fields {
		if fl.hidden() {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(f.fieldView(fl, i == f.focus, w))
	}
	return b.String()
}

func (f *Form) fieldView(fl *Field, focused bool, w int) string {
	t := f.theme
	mark := "  "
	// Titles, options and hints are translated here, when shown, so a
	// switch of language reaches a form already built.
	title := t.Bold.Render(i18n.Tr(fl.Title))
	if focused {
		mark = t.Cursor.Render("› ")
	}
	var b strings.Builder
	switch fl.Kind {
	case ChoiceField:
		if !focused {
			o := fl.Options[fl.cursor]
			b.WriteString(mark + i18n.T("%s: %s", title, i18n.Tr(cmpOr(o.Short, o.Label))))
			break
		}
		b.WriteString(mark + title)
		for i, o := range fl.Options {
			b.WriteString("\n")
			switch {
			case o.Disabled:
				b.WriteString(Paint(t.Disabled, Hang("      ", i18n.Tr(o.Label), w)))
			case i == fl.cursor:
				b.WriteString(Hang(t.Cursor.Render("    ● "), t.Selected.Render(i18n.Tr(o.Label)), w))
			default:
				b.WriteString(Hang("    ○ ", i18n.Tr(o.Label), w))
			}
		}
	case ConfirmField:
		y, n := i18n.T("Yes"), i18n.T("No")
		yes, no := " "+y+" ", "["+n+"]"
		if fl.Yes {
			yes, no = "["+y+"]", " "+n+" "
		}
		b.WriteString(mark + title + "  " + t.Selected.Render(yes) + " " + t.Selected.Render(no))
	case TextField:
		b.WriteString(mark + title)
		in := fl.input
		in.Width = max(w-6, 10)
		// Without colour a placeholder looks like a typed value.
		if in.Placeholder == "" && fl.Placeholder != "" && t.Color {
			in.Placeholder = i18n.Tr(fl.Placeholder)
		}
		// The input pads itself to its width; trailing blanks only
		// get in the way of copying.
		b.WriteString("\n  " + strings.TrimRight(in.View(), " "))
	}
	if fl.Hint != "" && (focused || fl.Kind == ConfirmField) {
		b.WriteString("\n" + Paint(t.Muted, Hang("    ", i18n.Tr(fl.Hint), w)))
	}
	if note := f.note(fl, w); note != "" {
		b.WriteString("\n" + note)
	}
	return b.String()
}

// note is the live verdict under a field: checked as the user types.
func (f *Form) note(fl *Field, w int) string {
	t := f.theme
	if fl.err != nil {
		return Paint(t.Fail, Hang("    "+MarkFail+" ", fl.err.Error(), w))
	}
	if fl.Kind != TextField || (fl.Value() == "" && !fl.touched) {
		return ""
	}
	msg, err := fl.Validate()
	switch {
	case err != nil && !fl.touched:
		return ""
	case err != nil:
		return Paint(t.Fail, Hang("    "+MarkFail+" ", err.Error(), w))
	case msg != "":
		return Paint(t.Muted, Hang("    "+MarkOK+" ", msg, w))
	}
	return ""
}

// Draft is what a form holds, by field title: kept when the user goes
// back a step, so coming forward again shows what was typed.
type Draft map[string]string

// Draft returns every field's current value.
func (f *Form) Draft() Draft {
	d := Draft{}
	for _, fl := range f.Fields {
		d[fl.Title] = fl.Value()
	}
	return d
}

// Restore puts a draft's values back into the fields of the same titles.
func (f *Form) Restore(d Draft) {
	for _, fl := range f.Fields {
		if v, ok := d[fl.Title]; ok {
			fl.SetValue(v)
		}
	}
}
