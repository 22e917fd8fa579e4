package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/textinput"

	"github.com/httpsify/httpsify/assets/i18n"
)

// FieldKind is what a field asks for.
type FieldKind int

const (
	TextField FieldKind = iota
	ChoiceField
	ConfirmField
)

// Option is one choice. A disabled option is shown, with its reason in
// the label, but cannot be picked.
type Option struct {
	Label, Value string
	Short        string // shown once the field is answered; Label when empty
	Disabled     bool
}

// Field is one question. The same definition drives the full-screen form
// and the accessible line prompts, so both ask exactly the same things.
type Field struct {
	Kind  FieldKind
	Title string
	Hint  string // shown under the title; may change between renders

	// Text fields. Check runs on every render: it returns a short note on
	// a valid value (what will be used) or the reason it is refused.
	Placeholder string
	Check       func(string) (string, error)
	Optional    bool // an empty value is fine and not checked
	input       textinput.Model
	touched     bool
	secret      bool

	// Choice fields.
	Options []Option
	cursor  int

	// Confirm fields.
	Yes     bool
	Require string // when set, No is refused with this message

	// Hidden skips the field (evaluated each time).
	Hidden func() bool

	err error // from the last Enter, cleared by the next key
}

// NewText returns a text field with value as its initial content.
func NewText(title, value string) *Field {
	in := textinput.New()
	in.Prompt = "> "
	in.SetValue(value)
	in.CharLimit = 1024
	return &Field{Kind: TextField, Title: title, input: in}
}

// NewChoice returns a choice field with the option of value selected.
func NewChoice(title string, value string, opts ...Option) *Field {
	f := &Field{Kind: ChoiceField, Title: title, Options: opts}
	f.cursor = -1
	for i, o := range opts {
		if o.Value == value && !o.Disabled {
			f.cursor = i
		}
	}
	if f.cursor < 0 {
		f.cursor = f.step(-1, 1)
	}
	return f
}

// NewConfirm returns a yes/no field.
func NewConfirm(title string, yes bool) *Field {
	return &Field{Kind: ConfirmField, Title: title, Yes: yes}
}

// SetSecret hides what is typed (keys, passwords).
func (f *Field) SetSecret() {
	f.input.EchoMode = textinput.EchoPassword
	f.input.EchoCharacter = '•'
	f.secret = true
}

// Value is the text, the chosen option's value, or "yes"/"no".
func (f *Field) Value() string {
	switch f.Kind {
	case ChoiceField:
		if f.cursor >= 0 && f.cursor < len(f.Options) {
			return f.Options[f.cursor].Value
		}
		return ""
	case ConfirmField:
		if f.Yes {
			return "yes"
		}
		return "no"
	}
	return strings.TrimSpace(f.input.Value())
}

// SetValue sets a text field's content (accessible mode answers).
func (f *Field) SetValue(v string) {
	switch f.Kind {
	case TextField:
		f.input.SetValue(v)
	case ChoiceField:
		for i, o := range f.Options {
			if o.Value == v && !o.Disabled {
				f.cursor = i
			}
		}
	case ConfirmField:
		f.Yes = v == "yes"
	}
}

// Validate returns the note for a valid value, or why it is refused.
func (f *Field) Validate() (string, error) {
	switch f.Kind {
	case TextField:
		v := f.Value()
		if (v == "" && f.Optional) || f.Check == nil {
			return "", nil
		}
		return f.Check(v)
	case ConfirmField:
		if !f.Yes && f.Require != "" {
			return "", errString(i18n.Tr(f.Require))
		}
	}
	return "", nil
}

type errString string

func (e errString) Error() string { return string(e) }

func (f *Field) hidden() bool { return f.Hidden != nil && f.Hidden() }

// step moves the choice cursor by dir, skipping disabled options.
func (f *Field) step(from, dir int) int {
	for i := from + dir; i >= 0 && i < len(f.Options); i += dir {
		if !f.Options[i].Disabled {
			return i
		}
	}
	if from < 0 {
		return 0
	}
	return from
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Refuse shows err under the field as its verdict (an engine refusal of
// an answer that passed the field's own check), until the next key.
func (f *Field) Refuse(err error) {
	f.err, f.touched = err, true
}
