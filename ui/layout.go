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

// Wrap breaks text at spaces (ansi.Wrap also breaks at hyphens, which
// splits paths like /tmp/my-site) and between wide (CJK) characters,
// which Chinese writes without spaces; never inside an ASCII word, and
// never before a closing mark like "，" or after an opening one like
// "（". Words longer than w are cut. Widths are display cells: a CJK
// character takes two. Existing line breaks are kept.
func Wrap(text string, w int) string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line, lw := "", 0
		for _, sg := range segments(para) {
			ww := ansi.StringWidth(sg.text)
			gap := 0
			if sg.space && lw > 0 {
				gap = 1
			}
			switch {
			case lw == 0:
			case lw+gap+ww <= w:
				line, lw = line+strings.Repeat(" ", gap), lw+gap
			default:
				out = append(out, line)
				line, lw = "", 0
			}
			word := sg.text
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

// segment is a piece of text a line may end after: a word, or one wide
// character with the punctuation that must stay with it. space says a
// space separated it from the piece before.
type segment struct {
	text  string
	space bool
}

// Marks a line must not start with, and marks it must not end with.
const (
	noLineStart = "，。、；：！？）》」』”’…％,.;:!?)]}"
	noLineEnd   = "（《「『“‘"
)

func segments(para string) []segment {
	var out []segment
	for _, field := range strings.Fields(para) {
		first := len(out)
		var run strings.Builder // narrow text (ASCII words) stays whole
		pending := ""           // opening marks, waiting for what they open
		push := func(t string) {
			out = append(out, segment{text: pending + t})
			pending = ""
		}
		flush := func() {
			if run.Len() > 0 {
				push(run.String())
				run.Reset()
			}
		}
		for _, r := range field {
			wide := r >= 0x1100 && ansi.StringWidth(string(r)) == 2
			switch {
			case run.Len() > 0 && !wide, run.Len() > 0 && strings.ContainsRune(noLineStart, r):
				run.WriteRune(r)
			case strings.ContainsRune(noLineStart, r) && len(out) > first && pending == "":
				out[len(out)-1].text += string(r) // stays on the line before
			case wide && strings.ContainsRune(noLineEnd, r):
				flush()
				pending += string(r)
			case wide:
				if rs := run.String(); rs != "" && strings.ContainsAny(rs[len(rs)-1:], "([{'\"") {
					// "(主机记录)": an ASCII opening mark stays with what it opens.
					pending = rs
					run.Reset()
				}
				flush()
				push(string(r))
			default:
				run.WriteRune(r)
			}
		}
		flush()
		if pending != "" {
			push("")
		}
		if first < len(out) {
			out[first].space = true
		}
	}
	return out
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
