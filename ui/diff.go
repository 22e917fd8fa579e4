package ui

import (
	"fmt"
	"strings"
)

// DiffLine is one line of a diff: Op is ' ' (same), '-', '+' or '@' (a
// hunk header, Text holding it).
type DiffLine struct {
	Op   byte
	Text string
}

// maxDiffCells bounds the LCS table; config files are far smaller.
const maxDiffCells = 4_000_000

// Diff is a longest-common-subsequence line diff of a and b. The common
// head and tail are taken out first: that is most of a config file, and
// it keeps the changes where a reader expects them.
func Diff(a, b []string) []DiffLine {
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	var out []DiffLine
	for _, l := range a[:head] {
		out = append(out, DiffLine{' ', l})
	}
	out = append(out, lcsDiff(a[head:len(a)-tail], b[head:len(b)-tail])...)
	for _, l := range a[len(a)-tail:] {
		out = append(out, DiffLine{' ', l})
	}
	return out
}

func lcsDiff(a, b []string) []DiffLine {
	n, m := len(a), len(b)
	if n*m > maxDiffCells {
		out := make([]DiffLine, 0, n+m)
		for _, l := range a {
			out = append(out, DiffLine{'-', l})
		}
		for _, l := range b {
			out = append(out, DiffLine{'+', l})
		}
		return out
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []DiffLine
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			out = append(out, DiffLine{' ', a[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, DiffLine{'-', a[i]})
			i++
		default:
			out = append(out, DiffLine{'+', b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, DiffLine{'-', a[i]})
	}
	for ; j < m; j++ {
		out = append(out, DiffLine{'+', b[j]})
	}
	return out
}

// Unified keeps the changed lines with ctx lines of context around them,
// split into hunks with "@@ -l,n +l,n @@" headers, like diff -u.
func Unified(oldText, newText string, ctx int) []DiffLine {
	all := Diff(splitLines(oldText), splitLines(newText))
	var out []DiffLine
	for start := 0; start < len(all); {
		// Find the next change.
		c := start
		for c < len(all) && all[c].Op == ' ' {
			c++
		}
		if c == len(all) {
			break
		}
		from := max(c-ctx, start)
		// Extend while changes are within 2*ctx of each other.
		end, same := c, 0
		for k := c; k < len(all); k++ {
			if all[k].Op == ' ' {
				same++
				if same > 2*ctx {
					break
				}
			} else {
				same, end = 0, k
			}
		}
		to := min(end+ctx+1, len(all))
		out = append(out, DiffLine{'@', hunkHeader(all, from, to)})
		out = append(out, all[from:to]...)
		start = to
	}
	return out
}

// hunkHeader numbers the hunk all[from:to] in old and new line numbers.
func hunkHeader(all []DiffLine, from, to int) string {
	oldLine, newLine := 1, 1
	for _, d := range all[:from] {
		if d.Op != '+' {
			oldLine++
		}
		if d.Op != '-' {
			newLine++
		}
	}
	oldN, newN := 0, 0
	for _, d := range all[from:to] {
		if d.Op != '+' {
			oldN++
		}
		if d.Op != '-' {
			newN++
		}
	}
	return fmt.Sprintf("@@ -%d,%d +%d,%d @@", oldLine, oldN, newLine, newN)
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
