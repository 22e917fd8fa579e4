package nginx

import (
	"bytes"
	"strings"

	"github.com/httpsify/httpsify/provision/nginxconf"
)

// Byte-level helpers for editing a file in place: each edit keeps the
// lines around it, their indentation and their comments.

// lineStart is the offset of the first byte of the line holding at.
func lineStart(content []byte, at int) int {
	return bytes.LastIndexByte(content[:at], '\n') + 1
}

// lineEnd is the offset just after the newline ending the line holding at
// (the end of the file when there is none).
func lineEnd(content []byte, at int) int {
	if i := bytes.IndexByte(content[at:], '\n'); i >= 0 {
		return at + i + 1
	}
	return len(content)
}

// indentAt is the whitespace that starts the line holding at.
func indentAt(content []byte, at int) string {
	s := lineStart(content, at)
	e := s
	for e < len(content) && (content[e] == ' ' || content[e] == '\t') {
		e++
	}
	return string(content[s:e])
}

// alone reports whether d is the only directive on its line (a trailing
// comment aside), so that deleting it may take the whole line.
func alone(content []byte, d *nginxconf.Directive) bool {
	before := strings.TrimSpace(string(content[lineStart(content, d.Start):d.Start]))
	rest := content[d.End:lineEnd(content, d.End)]
	after := strings.TrimSpace(string(rest))
	return before == "" && (after == "" || strings.HasPrefix(after, "#"))
}

// deleteDirective removes d: its whole line (with a trailing comment, which
// belongs to it) when it stands alone there, else only its own bytes.
func deleteDirective(content []byte, d *nginxconf.Directive) splice {
	if alone(content, d) {
		return splice{lineStart(content, d.Start), lineEnd(content, d.End), ""}
	}
	return splice{d.Start, d.End, ""}
}

// replaceDirective swaps d's own bytes for text; what follows on the line
// (a comment, say) stays.
func replaceDirective(d *nginxconf.Directive, text string) splice {
	return splice{d.Start, d.End, text}
}

// insertAfter puts lines right after directive d, in the same block: on
// lines of their own indented like d's when d stands alone on its line
// (each with comment, if any), else on d's line, without the comment.
func insertAfter(content []byte, d *nginxconf.Directive, comment string, lines ...string) splice {
	if !alone(content, d) {
		return splice{d.End, d.End, " " + strings.Join(lines, " ")}
	}
	ind := indentAt(content, d.Start)
	at := lineEnd(content, d.End)
	var b strings.Builder
	if at == len(content) && (at == 0 || content[at-1] != '\n') {
		b.WriteByte('\n')
	}
	for _, l := range lines {
		if comment != "" {
			l += " " + comment
		}
		b.WriteString(ind + l + "\n")
	}
	return splice{at, at, b.String()}
}

// blockIndent is the indentation of the directives inside block (the
// file's own style: tabs or spaces), guessed from its first child.
func blockIndent(content []byte, block *nginxconf.Directive) string {
	for _, k := range block.Block {
		if strings.TrimSpace(string(content[lineStart(content, k.Start):k.Start])) == "" {
			return indentAt(content, k.Start)
		}
	}
	return indentAt(content, block.Start) + "    "
}

// openBrace is the offset just after the '{' that opens a server block
// (which has no arguments that could hold one).
func openBrace(content []byte, block *nginxconf.Directive) int {
	if i := bytes.IndexByte(content[block.Start:block.End], '{'); i >= 0 {
		return block.Start + i + 1
	}
	return -1
}

// insertFirst puts lines at the top of block, each on its own line.
func insertFirst(content []byte, block *nginxconf.Directive, lines ...string) splice {
	at := openBrace(content, block)
	ind := blockIndent(content, block)
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("\n" + ind + l)
	}
	return splice{at, at, b.String()}
}

// linesAfter inserts whole lines (text ends in a newline) after offset at:
// after the end of its line when only a comment follows there, else by
// splitting the line so the rest stays inside the same block.
func linesAfter(content []byte, at int, ind, text string) splice {
	end := lineEnd(content, at)
	rest := strings.TrimSpace(string(content[at:end]))
	if rest == "" || strings.HasPrefix(rest, "#") {
		return splice{end, end, text}
	}
	return splice{at, at, "\n" + text + ind}
}
