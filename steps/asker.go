package steps

import (
	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/ui"
)

// Asker is what a form step offers a runner that asks its questions some
// other way than its own form: the plain (--accessible) runner asks the
// fields one by one, then hands the answers back to the step's own
// checks, so both runners share one definition of each step.
type Asker interface {
	ui.Step
	// Questions are the step's fields in the order they are asked, as
	// built by the last Enter; hidden ones are skipped when asked.
	Questions() []*ui.Field
	// Answered is told each question once it was asked; what it returns
	// is said before the next one (DNS answers, say). A step also uses it
	// to refill later fields from an earlier answer.
	Answered(f *ui.Field) []string
	// Submit keeps valid answers; a refusal names the field to ask again,
	// or nil when every question must come again.
	Submit() (summary string, refused *ui.Field, err error)
}

// moreQuestions is implemented by a step whose answers lead to questions
// of another shape than its fields (DNS-01: the provider, then its
// credentials form); the plain runner asks them after the fields.
type moreQuestions interface{ askMore(r *plain) error }

// lineMode is implemented by a step that offers less in line prompts;
// the plain runner calls it before Enter.
type lineMode interface{ lineMode() }

// warnedOnce holds a step once to say something that is not a refusal
// (nothing answers at the app address); submitting again goes on.
type warnedOnce struct{ lines []string }

func (w *warnedOnce) Error() string        { return i18n.Tr(errAppWarned.Error()) }
func (w *warnedOnce) Is(target error) bool { return target == errAppWarned }

// The form steps the plain runner asks through the contract.
var (
	_ Asker         = (*Site)(nil)
	_ Asker         = (*Certificate)(nil)
	_ Asker         = (*Location)(nil)
	_ Asker         = (*Home)(nil)
	_ lineMode      = (*Certificate)(nil)
	_ moreQuestions = (*Certificate)(nil)
)
