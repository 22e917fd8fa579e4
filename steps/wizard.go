package steps

import (
	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/ui"
)

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

// Steps is the wizard's step list, in the order of the Step constants;
// the shell and the line-prompt runner both walk it.
func Steps(st *State) []ui.Step {
	return []ui.Step{NewPreflight(st), NewSite(st), NewCertificate(st), NewIssue(st), NewLocation(st),
		NewPreview(st), NewConfirm(st), NewDeploy(st), NewSummary(st)}
}

// New returns the wizard: the shell with its steps, opening on the sites
// httpsify already manages when there are any.
func New(st *State) *ui.Shell {
	all := Steps(st)
	front := 0
	if home := NewHome(st); home.Managed() {
		all, front = append([]ui.Step{home}, all...), 1
	}
	sh := ui.NewShell(st.Theme, st.Keys, all...)
	sh.Front = front
	sh.CancelNote = st.cancelNote
	// Leaving the sites screen is no failure: nothing was begun there.
	sh.Finished = func() bool { return st.Result != nil || sh.Current() < 0 }
	sh.NoteFunc = consentNote
	sh.OfferLang = st.OfferLang
	return sh
}

// unchangedNote says what is true of the user's files before the confirm
// step: issuance changed nginx for the CA's check only, and took it out.
var unchangedNote = i18n.N("Your site's files have not been changed yet")

// consentNote says where consent happens. Going on from the certificate
// step starts issuance, which changes nginx for a moment (a temporary
// location for the CA's check, a reload, and the same undone); the
// site's own change waits for yes at the confirm step. The step numbers
// come from the step list.
func consentNote() string {
	return i18n.T("Your site's files change only when you say yes at step %d. Before that, getting the certificate at step %d adds a temporary location for the CA's check to nginx and reloads it, then takes it out again whatever happens. Ctrl+C before step %d quits at once; during work it asks first, and a change that is interrupted or fails is always rolled back.", StepConfirm+1, StepIssue+1, StepConfirm+1)
}

// cancelNote is the line printed when the wizard is left at step i before
// anything was written: what happened, and what is kept for next time.
func (st *State) cancelNote(i int) string {
	if i < 0 {
		return "" // the sites screen: its checks and renewals said their outcome
	}
	at := i18n.T("Cancelled at step %d", i+1)
	if st.Result != nil {
		return SummaryText(st, ui.DefaultWidth, false) // done: the summary, as Enter prints it
	}
	if k := st.keptNote(); k != "" {
		// Issuance added the CA's challenge location and took it out
		// again: the configuration is as it was, not untouched.
		return at + i18n.T(": nginx's configuration is as it was.") + k
	}
	return at + i18n.T(": nothing written.")
}

// keptNote says where a new certificate that was not installed waits for
// the next run ("" when there is none).
func (st *State) keptNote() string {
	if iss := st.Issued; iss != nil && iss.New && iss.VersionDir != "" && st.Result == nil && (st.Settings == nil || !st.Settings.Uploaded()) {
		return i18n.T(" The new certificate is kept at %s for the next run, which installs it instead of ordering another.", iss.VersionDir)
	}
	return ""
}

// PlainCancelNote is cancelNote for the line prompts, at the step they
// have reached.
func (st *State) PlainCancelNote() string {
	return st.cancelNote(max(int(st.plainStep.Load())-1, 0))
}
