package provision

import (
	"path/filepath"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Heading says in one line what the removal is (for a confirmation).
func (rp *RemovePlan) Heading() string {
	if rp.Restore {
		return i18n.T("Remove %s and restore its files as they were before httpsify", rp.Settings.Primary())
	}
	return i18n.T("Remove %s from httpsify, keeping its HTTPS config and certificate as they are", rp.Settings.Primary())
}

// Lines says what the removal does, one thing a line: "restore PATH
// (why)", "remove", "relink", "keep", "delete", then the schedule and the
// notes. Paths come from the user's configuration: clean them
// (termtext) before they reach a terminal. The CLI and the wizard show
// the same lines.
func (rp *RemovePlan) Lines() []string {
	var out []string
	add := func(verb, path, why string) {
		if why != "" {
			why = i18n.T(" (%s)", i18n.Tr(why))
		}
		out = append(out, i18n.PadRight(i18n.Tr(verb), 8)+" "+path+why)
	}
	for _, f := range rp.Files {
		switch {
		case !f.Existed:
			add(i18n.N("remove"), f.Undo.Path, i18n.N("httpsify made it"))
		case f.Undo.Symlink != "":
			add(i18n.N("relink"), f.Undo.Path, i18n.T("to %s, as before httpsify", f.Undo.Symlink))
		default:
			add(i18n.N("restore"), f.Undo.Path, i18n.N("as it was before httpsify"))
		}
	}
	for _, k := range rp.Kept {
		add(i18n.N("keep"), k.Path, k.Why)
	}
	if !rp.Restore {
		add(i18n.N("keep"), rp.CertVersions, i18n.N("the certificate versions nginx reads"))
	}
	for _, d := range rp.Deleted {
		why := ""
		switch d {
		case rp.CertVersions:
			why = i18n.N("its certificate versions and keys, stored request and records")
		case rp.Credentials:
			why = i18n.N("the DNS provider's credentials")
		default:
			if filepath.Dir(d) == rp.Settings.Layout().RenewalInfo() {
				why = i18n.N("the CA's cached renewal information")
			}
		}
		add(i18n.N("delete"), d, why)
	}
	out = append(out, i18n.T("renewal: %s", i18n.Tr(rp.Schedule)))
	for _, n := range rp.Notes {
		out = append(out, i18n.T("note: %s", n))
	}
	return out
}
