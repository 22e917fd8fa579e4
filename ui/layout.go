package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Fit cuts s to at most h lines of at most w cells: the inline renderer
// would otherwise scroll a too-tall view and garble the scrollback.
func Fit(s string, w, h int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if h > 0 && len(lines) > h {
		lines = lines[:h]
	}
	if w > 0 {
		for i, l := range lines {
			if ansi.StringWidth(l) > w {
				lines[i] = ansi.Truncate(l, w-1, "") + "…"
			}
		}
	}
	return strings.Join(lines, "\n")
}

// Hang wraps text to width w, starting with first and indenting the
// following lines by as many cells, like a list item.
func Hang(first, text string, w int) string {
	return HangIndent(first, strings.Repeat(" ", ansi.StringWidth(first)), text, w)
}

// HangIndent is Hang with its own prefix for the following lines, e.g. a
// deeper indent that marks a wrapped command as one command.
func HangIndent(first, rest, text string, w int) string {
	pad := max(ansi.StringWidth(first), ansi.StringWidth(rest))
	if w-pad < 10 {
		return first + text
	}
	lines := strings.Split(Wrap(text, w-pad), "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = first + lines[i]
		} else {
			lines[i] = rest + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// Tail keeps the last h lines, for logs that grow.
func Tail(lines []string, h int) []string {
	if h >= 0 && len(lines) > h {
		return lines[len(lines)-h:]
	}
	return lines
}

// Wrap breaks text at spaces only (ansi.Wrap also breaks at hyphens,
// which splits paths like /tmp/my-site), cutting words longer than w.
// Existing line breaks are kept.
func Wrap(text string, w int) string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line, lw := "", 0
		for _, word := range strings.Fields(para) {
			ww := ansi.StringWidth(word)
			switch {
			case lw == 0:
			case lw+1+ww <= w:
				line, lw = line+" ", lw+1
			default:
				out = append(out, line)
				line, lw = "", 0
			}
			if ww > w-lw && lw == 0 {
				parts := strings.Split(ansi.Hardwrap(word, w, false), "\n")
				out = append(out, parts[:len(parts)-1]...)
				word = parts[len(parts)-1]
				ww = ansi.StringWidth(word)
			}
			line, lw = line+word, lw+ww
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// Paint styles each line on its own: lipgloss pads every line of a
// multi-line string to the widest one, which leaves trailing blanks.
func Paint(style lipgloss.Style, s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = style.Render(l)
		}
	}
	return strings.Join(lines, "\n")
}
