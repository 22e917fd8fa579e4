package ui

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	"github.com/charmbracelet/lipgloss"
)

// nginxLexerXML is chroma's nginx lexer definition. Importing chroma's
// lexers package instead would compile every lexer it knows at init,
// about 14 ms on each start (--version included), for one we use.
//
//go:embed nginx_lexer.xml
var nginxLexerXML []byte

// nginxLexer is built on first use: only the preview step needs it.
var nginxLexer = sync.OnceValue(func() chroma.Lexer {
	l, err := chroma.Unmarshal(nginxLexerXML)
	if err != nil {
		return nil // highlighting is optional; the text shows uncoloured
	}
	return l
})

// HighlightNginx returns src as lines coloured with the theme's syntax
// styles. Tabs become four spaces so the viewport measures widths right.
// Without colour the lexer is skipped altogether.
func HighlightNginx(t Theme, src string) []string {
	src = strings.ReplaceAll(strings.TrimRight(src, "\n"), "\t", "    ")
	lexer := nginxLexer()
	if !t.Color || lexer == nil {
		return strings.Split(src, "\n")
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, src)
	if err != nil {
		return strings.Split(src, "\n")
	}
	var lines []string
	var cur strings.Builder
	for _, tok := range it.Tokens() {
		style, styled := syntaxStyle(t.Syntax, tok)
		parts := strings.Split(tok.Value, "\n")
		for i, p := range parts {
			if i > 0 {
				lines = append(lines, cur.String())
				cur.Reset()
			}
			if p == "" {
				continue
			}
			if styled {
				p = style.Render(p)
			}
			cur.WriteString(p)
		}
	}
	return append(lines, cur.String())
}

// syntaxStyle maps chroma's nginx tokens to the theme. Plain arguments
// stay unstyled: colouring every word green would hide the structure.
func syntaxStyle(s SyntaxStyles, tok chroma.Token) (lipgloss.Style, bool) {
	switch {
	case tok.Type.InCategory(chroma.Comment):
		return s.Comment, true
	case tok.Type.InCategory(chroma.Keyword):
		return s.Directive, true
	case tok.Type == chroma.NameVariable:
		return s.Variable, true
	case tok.Type.InSubCategory(chroma.LiteralNumber):
		return s.Number, true
	case tok.Type.InSubCategory(chroma.LiteralString) && strings.HasPrefix(tok.Value, `"`):
		return s.String, true
	}
	return lipgloss.Style{}, false
}
