package steps

import "github.com/httpsify/httpsify/ui"

// The steps in order; the numbers are the ones the issue and the header use, minus one.
const (
	StepPreflight = iota
	StepSite
	StepCertificate
	StepIssue
	StepLocation
	StepPreview
	StepConfirm
	StepDeploy
	StepSummary
)

// New returns the wizard: the shell with its nine steps.
func New(st *State) *ui.Shell {
	sh := ui.NewShell(st.Theme, st.Keys,
		NewPreflight(st), NewSite(st), NewCertificate(st), NewIssue(st), NewLocation(st),
		NewPreview(st), NewConfirm(st), NewDeploy(st), NewSummary(st))
	sh.Note = "Nothing is written to nginx until you say yes at step 7. Ctrl+C before then quits at once; during work it asks first, and a change that is interrupted or fails is always rolled back."
	return sh
}
