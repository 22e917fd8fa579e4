package steps

import (
	"errors"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/ui"
)

// Small helpers the steps share.

// submitForm commits a form step's answers and moves on; on a refusal it
// keeps the error for the view and focuses the field to fix, if named.
func submitForm(form *ui.Form, commit func() (string, *ui.Field, error), errOut *error) tea.Cmd {
	sum, field, err := commit()
	if err != nil {
		if field != nil {
			// Under the field it is about, in place of its ✓ note.
			field.Refuse(errors.New(planMessage(err)))
			return form.FocusOn(field)
		}
		*errOut = err
		return nil
	}
	return ui.Next(sum)
}

// plural counts things: "1 site", "3 sites"; in Chinese "3 个网站".
// Callers mark both words with i18n.N.
func plural(n int, one, many string) string {
	if i18n.Current() == i18n.Zh {
		return fmt.Sprintf("%d %s", n, i18n.Tr(many))
	}
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func newSpinner(t ui.Theme) spinner.Model {
	return spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(t.Accent))
}

func withHelp(b key.Binding, k, desc string) key.Binding {
	b.SetHelp(k, desc)
	return b
}

func onOff(b bool) string {
	if b {
		return i18n.T("on")
	}
	return i18n.T("off")
}
