package provision

import (
	"fmt"
	"path/filepath"
)

// Heading says in one line what the removal is (for a confirmation).
func (rp *RemovePlan) Heading() string {
	if rp.Restore {
		return fmt.Sprintf("Remove %s and restore its files as they were before httpsify", rp.Settings.Primary())
	}
	return fmt.Sprintf("Remove %s from httpsify, keeping its HTTPS config and certificate as they are", rp.Settings.Primary())
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
			why = " (" + why + ")"
		}
		out = append(out, fmt.Sprintf("%-8s %s%s", verb, path, why))
	}
	for _, f := range rp.Files {
		switch {
		case !f.Existed:
			add("remove", f.Undo.Path, "httpsify made it")
		case f.Undo.Symlink != "":
			add("relink", f.Undo.Path, "to "+f.Undo.Symlink+", as before httpsify")
		default:
			add("restore", f.Undo.Path, "as it was before httpsify")
		}
	}
	for _, k := range rp.Kept {
		add("keep", k.Path, k.Why)
	}
	if !rp.Restore {
		add("keep", rp.CertVersions, "the certificate versions nginx reads")
	}
	for _, d := range rp.Deleted {
		why := ""
		switch d {
		case rp.CertVersions:
			why = "its certificate versions and keys, stored request and records"
		case rp.Credentials:
			why = "the DNS provider's credentials"
		default:
			if filepath.Dir(d) == rp.Settings.Layout().RenewalInfo() {
				why = "the CA's cached renewal information"
			}
		}
		add("delete", d, why)
	}
	out = append(out, "renewal: "+rp.Schedule)
	for _, n := range rp.Notes {
		out = append(out, "note: "+n)
	}
	return out
}
