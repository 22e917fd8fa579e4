package ui

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Ask puts the fields as plain line prompts (huh's accessible mode), one
// after the other, for screen readers and TERM=dumb. Hidden is evaluated
// before each field, so earlier answers can skip later questions.
func Ask(in io.Reader, out io.Writer, fields ...*Field) error {
	lr := &lineReader{r: in}
	for _, f := range fields {
		if f.hidden() {
			continue
		}
		if f.Kind == TextField && f.secret {
			// huh's password prompt needs a terminal's file: askSecret
			// reads a pipe as a plain line instead of losing the answer.
			if err := askSecretValid(in, lr, out, f); err != nil {
				return err
			}
			continue
		}
		if f.Hint != "" {
			fmt.Fprintln(out, i18n.Tr(f.Hint))
		}
		var hf huh.Field
		var text string
		yes := f.Yes
		switch f.Kind {
		case TextField:
			text = f.Value()
			def := text
			title := i18n.Tr(f.Title)
			if def != "" && !f.secret {
				title += " [" + def + "]" // Enter keeps it
			}
			in := huh.NewInput().Title(title).Value(&text).Validate(func(s string) error {
				if strings.TrimSpace(s) == "" {
					s = def // an empty answer keeps the value shown
				}
				f.SetValue(s)
				_, err := f.Validate()
				return err
			})
			if f.secret {
				in.EchoMode(huh.EchoModePassword)
			}
			hf = in
		case ChoiceField:
			// Disabled options are said once, not offered: they cannot
			// be chosen, so they get no number. The default is marked.
			text = f.Value()
			var enabled []Option
			for _, o := range f.Options {
				if !o.Disabled {
					enabled = append(enabled, o)
				}
			}
			if len(enabled) == 1 {
				// Nothing to choose: said, not asked.
				f.SetValue(enabled[0].Value)
				fmt.Fprintln(out, i18n.T("%s: %s", i18n.Tr(f.Title), i18n.Tr(enabled[0].Label))+i18n.T(" (the only choice here)"))
				continue
			}
			var opts []huh.Option[string]
			for _, o := range f.Options {
				switch {
				case o.Disabled:
					fmt.Fprintln(out, "("+i18n.Tr(o.Label)+")")
				case o.Value == text:
					opts = append(opts, huh.NewOption(i18n.Tr(o.Label)+i18n.T(" (default)"), o.Value))
				default:
					opts = append(opts, huh.NewOption(i18n.Tr(o.Label), o.Value))
				}
			}
			hf = huh.NewSelect[string]().Title(i18n.Tr(f.Title)).Options(opts...).Value(&text)
		case ConfirmField:
			hf = huh.NewConfirm().Title(i18n.Tr(f.Title)).Value(&yes) // huh marks the default: [y/N]
		}
		for {
			if err := huh.NewForm(huh.NewGroup(hf)).WithAccessible(true).WithInput(lr).WithOutput(out).Run(); err != nil {
				return err
			}
			if f.Kind == ConfirmField {
				f.Yes = yes
			} else {
				f.SetValue(text)
			}
			_, err := f.Validate()
			if err == nil {
				break
			}
			if lr.eof {
				return i18n.Errorf("%s: the input ended without an answer", i18n.Tr(f.Title))
			}
			fmt.Fprintln(out, MarkFail+" "+err.Error())
		}
	}
	return nil
}

// askSecretValid asks a secret until it validates.
func askSecretValid(in io.Reader, lr *lineReader, out io.Writer, f *Field) error {
	for {
		if err := askSecret(in, lr, out, f); err != nil {
			return err
		}
		_, err := f.Validate()
		if err == nil {
			return nil
		}
		if lr.eof {
			return i18n.Errorf("%s: the input ended without an answer", i18n.Tr(f.Title))
		}
		fmt.Fprintln(out, MarkFail+" "+err.Error())
	}
}

// lineReader hands out at most one line per Read: huh starts a new
// buffered scanner for every prompt, which would otherwise swallow the
// answers to the next prompts when input comes from a pipe.
type lineReader struct {
	r   io.Reader
	eof bool
}

func (l *lineReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := l.r.Read(p[n : n+1])
		n += m
		if err != nil {
			if errors.Is(err, io.EOF) {
				l.eof = true
			}
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		if m == 1 && p[n-1] == '\n' {
			break
		}
	}
	return n, nil
}
