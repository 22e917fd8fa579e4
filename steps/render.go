package steps

import (
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/ui"
)

// previewFile is one file, rendered once per plan in a command. Each
// line is a two-cell marker ("+ ", "- " or blanks) and the text, apart,
// so panning sideways moves the text and keeps the marker.
type previewFile struct {
	Path, Verb, Why string
	Site            bool // the file holding the HTTPS site
	Full, Diff      []previewLine
}

type previewLine struct{ Mark, Text string }

// renderFiles highlights each file the plan writes and diffs it against
// the file as it is now. It runs in a command, once per plan.
func renderFiles(t ui.Theme, plan *provision.Plan) []previewFile {
	var out []previewFile
	for _, c := range plan.Files {
		if c.Symlink != "" || c.Remove {
			continue
		}
		f := previewFile{Path: c.Path, Verb: verb(c), Why: c.Why, Site: isSiteFile(plan, c)}
		oldText, newText := string(c.Old), string(c.Content)
		high := ui.HighlightNginx(t, newText)
		changed := map[int]bool{}
		n := 0
		for _, d := range ui.Diff(lines(oldText), lines(newText)) {
			switch d.Op {
			case '+':
				changed[n] = true
				n++
			case ' ':
				n++
			}
		}
		for i, l := range high {
			mark := "  "
			if changed[i] && c.Old != nil {
				mark = t.Added.Render("+ ")
			}
			f.Full = append(f.Full, previewLine{mark, l})
		}
		for _, d := range ui.Unified(oldText, newText, 3) {
			text := strings.ReplaceAll(d.Text, "\t", "    ")
			switch d.Op {
			case '@':
				f.Diff = append(f.Diff, previewLine{"", t.Hunk.Render(text)})
			case '+':
				f.Diff = append(f.Diff, previewLine{t.Added.Render("+ "), t.Added.Render(text)})
			case '-':
				f.Diff = append(f.Diff, previewLine{t.Removed.Render("- "), t.Removed.Render(text)})
			default:
				f.Diff = append(f.Diff, previewLine{"  ", text})
			}
		}
		out = append(out, f)
	}
	return out
}

// isSiteFile: the change writes the file the HTTPS site is in (a new
// file, or the user's own site file edited in place).
func isSiteFile(plan *provision.Plan, c provision.FileChange) bool {
	return c.Role == provision.RoleSite || plan.SiteFile != "" && (c.Path == plan.SiteFile || c.Shown == plan.SiteFile)
}

// lines splits a file for the diff; tabs stay, so a tab turned into
// spaces counts as a change.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimRight(s, "\n"), "\n")
}

// verb says what happens to a file, as the confirm step lists it.
func verb(c provision.FileChange) string {
	switch {
	case c.Symlink != "":
		return i18n.T("link")
	case c.Remove:
		return i18n.T("remove")
	case c.Existed || c.Old != nil:
		return i18n.T("update")
	}
	return i18n.T("create")
}

// trimRight drops the blanks the viewport pads each line with.
func trimRight(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
