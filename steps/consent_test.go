package steps

import (
	"fmt"
	"strings"
	"testing"
)

// Consent is where the texts say: issuance (the step after the
// certificate step) changes nginx for the CA's check, so the wizard's
// note says so with that step's number, and the site's own change waits
// for the confirm step, named by its number too. The numbers come from
// the step list the shell runs.
func TestConsentTextsTellTheTruth(t *testing.T) {
	st, _ := newState(t)
	answered(t, st, false)
	if len(st.Plan.ChallengeEdits()) == 0 {
		t.Fatal("the fixture's issuance needs a temporary edit of nginx; the test relies on it")
	}
	if _, ok := New(st).StartAt(StepIssue).Step().(*Issue); !ok {
		t.Fatal("StepIssue does not index the issuance step in the wizard's list")
	}
	if _, ok := New(st).StartAt(StepConfirm).Step().(*Confirm); !ok {
		t.Fatal("StepConfirm does not index the confirm step in the wizard's list")
	}
	note := consentNote()
	for _, want := range []string{
		fmt.Sprintf("yes at step %d", StepConfirm+1),
		fmt.Sprintf("at step %d adds a temporary location", StepIssue+1),
		"reloads it",
	} {
		if !strings.Contains(note, want) {
			t.Errorf("the wizard's note lacks %q: %s", want, note)
		}
	}
	if strings.Contains(note, "Nothing is written") {
		t.Errorf("the note promises nothing is written, but issuance edits nginx: %s", note)
	}
	// apply asks before issuance and lists the temporary change, saying
	// it is taken out whatever happens (not only when issuance fails).
	d := st.Plan.Describe(false)
	if !strings.Contains(d, "taken out again whatever happens") || strings.Contains(d, "rolled back if issuance fails") {
		t.Errorf("the plan's description misstates the temporary change:\n%s", d)
	}
}
