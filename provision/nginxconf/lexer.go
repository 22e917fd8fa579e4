package nginxconf

import "fmt"

// The lexer mirrors ngx_conf_read_token (src/core/ngx_conf_file.c) so that
// httpsify splits a file exactly where nginx does; any divergence would let
// an edit land in the wrong place.

type tokKind int

const (
	tokEOF   tokKind = iota
	tokWord          // bare or quoted word; val is unescaped
	tokSemi          // ;
	tokOpen          // {
	tokClose         // }
)

type token struct {
	kind  tokKind
	val   string
	start int // first byte; the opening quote for a quoted word
	end   int // just after the last byte; after the closing quote
	line  int
}

// comment is a "#" comment, kept so callers can look for marker lines
// without being fooled by "#" inside quoted strings or words.
type comment struct {
	start, end int // end excludes the newline
	line       int
	text       string
}

type lexer struct {
	path     string
	src      []byte
	pos      int
	line     int
	comments []comment
}

func newLexer(path string, src []byte) *lexer {
	return &lexer{path: path, src: src, line: 1}
}

func (lx *lexer) errorf(line int, format string, a ...any) error {
	return &ParseError{File: lx.path, Line: line, Msg: fmt.Sprintf(format, a...)}
}

// next returns the next token. It is pulled one at a time so the parser can
// refuse a raw (non-nginx) block before its body is ever tokenised.
func (lx *lexer) next() (token, error) {
	for lx.pos < len(lx.src) {
		switch ch := lx.src[lx.pos]; ch {
		case '\n':
			lx.line++
			lx.pos++
		case ' ', '\t', '\r':
			lx.pos++
		case '#':
			lx.comment()
		case ';', '{', '}':
			k := tokSemi
			if ch == '{' {
				k = tokOpen
			} else if ch == '}' {
				k = tokClose
			}
			t := token{kind: k, val: string(ch), start: lx.pos, end: lx.pos + 1, line: lx.line}
			lx.pos++
			return t, nil
		case '"', '\'':
			return lx.quoted(ch)
		default:
			return lx.word(), nil
		}
	}
	return token{kind: tokEOF, start: lx.pos, end: lx.pos, line: lx.line}, nil
}

// comment consumes "#" up to (not including) the end of the line. nginx only
// treats "#" as a comment at the start of a token, which is the only place
// next calls this.
func (lx *lexer) comment() {
	start := lx.pos
	for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' {
		lx.pos++
	}
	lx.comments = append(lx.comments, comment{start: start, end: lx.pos, line: lx.line, text: string(lx.src[start:lx.pos])})
}

// word reads a bare word. It ends at whitespace, ';' or '{' — but not at '}'
// (nginx keeps "a}" as one word) and not at the '{' of "${var}".
func (lx *lexer) word() token {
	start, line := lx.pos, lx.line
	escaped, variable := false, false
	for ; lx.pos < len(lx.src); lx.pos++ {
		ch := lx.src[lx.pos]
		if escaped {
			escaped = false
			if ch == '\n' {
				lx.line++
			}
			continue
		}
		if ch == '{' && variable {
			continue
		}
		variable = false
		switch ch {
		case '\\':
			escaped = true
		case '$':
			variable = true
		case ' ', '\t', '\r', '\n', ';', '{':
			return token{kind: tokWord, val: unescape(lx.src[start:lx.pos]), start: start, end: lx.pos, line: line}
		}
	}
	// End of file inside a word; the parser reports the unterminated directive.
	return token{kind: tokWord, val: unescape(lx.src[start:lx.pos]), start: start, end: lx.pos, line: line}
}

// quoted reads a "..." or '...' string; a backslash escapes any byte.
func (lx *lexer) quoted(q byte) (token, error) {
	start, line := lx.pos, lx.line
	escaped := false
	for lx.pos++; lx.pos < len(lx.src); lx.pos++ {
		ch := lx.src[lx.pos]
		if ch == '\n' {
			lx.line++
		}
		switch {
		case escaped:
			escaped = false
		case ch == '\\':
			escaped = true
		case ch == q:
			t := token{kind: tokWord, val: unescape(lx.src[start+1 : lx.pos]), start: start, end: lx.pos + 1, line: line}
			lx.pos++
			// nginx demands a separator after a closing quote; ')' is allowed
			// for `if ("a" = "b")` and starts a new word.
			if lx.pos < len(lx.src) {
				switch c := lx.src[lx.pos]; c {
				case ' ', '\t', '\r', '\n', ';', '{', ')':
				default:
					return token{}, lx.errorf(lx.line, "unexpected %q after quoted string", c)
				}
			}
			return t, nil
		}
	}
	return token{}, lx.errorf(line, "unterminated %c quoted string", q)
}

// unescape applies nginx's escape rules: \" \' \\ become the character,
// \t \r \n become control characters, any other backslash stays as is.
func unescape(b []byte) string {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			switch c := b[i+1]; c {
			case '"', '\'', '\\':
				out = append(out, c)
				i++
				continue
			case 't':
				out = append(out, '\t')
				i++
				continue
			case 'r':
				out = append(out, '\r')
				i++
				continue
			case 'n':
				out = append(out, '\n')
				i++
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}
