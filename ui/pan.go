package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// PanLine shows the part of text from column x that fits in room cells.
// A line cut at either edge shows "…" there, so a value is never silently
// shortened or wrapped inside: panning sideways shows the rest.
func PanLine(text string, x, room int) string {
	w := ansi.StringWidth(text)
	if x <= 0 && w <= room {
		return text
	}
	x = max(x, 0)
	if w == 0 || room < 2 {
		return ""
	}
	if x >= w {
		return MarkMore // the line is to the left
	}
	start, width := x, room
	lead := ""
	if x > 0 {
		lead, start, width = MarkMore, x+1, room-1
	}
	if w-start > width {
		return lead + cutCells(text, start, start+width-1) + MarkMore
	}
	return lead + cutCells(text, start, w)
}

// cutCells is the part of plain text between display columns from and
// to. A wide (CJK) character the cut would split is left out, and a blank
// keeps its place at the left edge, so the piece is never wider than
// to-from and holds only whole characters.
func cutCells(text string, from, to int) string {
	var b strings.Builder
	col := 0
	for _, r := range text {
		w := ansi.StringWidth(string(r))
		switch {
		case col >= from && col+w <= to:
			b.WriteRune(r)
		case col < from && col+w > from && col+w <= to:
			b.WriteString(strings.Repeat(" ", col+w-from))
		}
		col += w
	}
	return b.String()
}

// Ellipsize cuts text to w display cells, ending with "…" when cut, so
// wide (CJK) characters count as two.
func Ellipsize(text string, w int) string {
	if ansi.StringWidth(text) <= w {
		return text
	}
	if w < 1 {
		return ""
	}
	return ansi.Truncate(text, w, MarkMore)
}

// PadRight pads text with spaces to w display cells (CJK counts two), as
// fmt's %-*s would for ASCII; longer text gets one space after it.
func PadRight(text string, w int) string {
	if n := ansi.StringWidth(text); n < w {
		return text + strings.Repeat(" ", w-n)
	}
	return text + " "
}
