package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// WrapCommand breaks a shell command into lines of at most w cells, only
// between words (never inside a quoted word or a path), each line but the
// last ending in " \" so that copying all of them runs the same command.
// The following lines get rest as their indent. A single word wider than
// the room stays whole on its own line: cut, it would be a wrong command.
func WrapCommand(first, rest, cmd string, w int) []string {
	words := shellWords(cmd)
	var lines []string
	line, prefix := "", first
	for _, word := range words {
		cand := word
		if line != "" {
			cand = line + " " + word
		}
		// Room for the prefix and a trailing " \".
		if line != "" && ansi.StringWidth(prefix)+ansi.StringWidth(cand)+2 > w {
			lines = append(lines, prefix+line+` \`)
			line, prefix = word, rest
			continue
		}
		line = cand
	}
	return append(lines, prefix+line)
}

// shellWords splits at spaces outside single and double quotes.
func shellWords(cmd string) []string {
	var words []string
	var cur strings.Builder
	var quote rune
	for _, r := range cmd {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == ' ':
			if cur.Len() > 0 {
				words = append(words, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		words = append(words, cur.String())
	}
	return words
}
