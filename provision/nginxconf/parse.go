package nginxconf

import (
	"fmt"
	"strings"
)

// Directive is one parsed directive with byte offsets into its file's Content.
type Directive struct {
	Name     string
	Args     []string     // unquoted argument values
	Block    []*Directive // children when the directive has a { } block
	HasBlock bool
	File     string
	Line     int // 1-based line of Name
	Start    int // offset of the first byte of Name (its opening quote if quoted)
	End      int // offset just after the terminating ';' or '}'
}

// ParseError locates a syntax problem as file:line.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// maxDepth bounds block nesting; real configs stay far below it and the
// bound keeps hostile input from exhausting the stack.
const maxDepth = 100

// Parse tokenises one file with nginx's rules and builds the directive tree.
// It refuses anything it cannot be sure of: unbalanced braces, unterminated
// quotes or directives, and blocks whose body is not nginx syntax (Lua).
func Parse(path string, content []byte) ([]*Directive, error) {
	ds, _, err := parseFile(path, content)
	return ds, err
}

// parseFile is Parse plus the comments, which Analyze uses for markers.
func parseFile(path string, content []byte) ([]*Directive, []comment, error) {
	p := &parser{lx: newLexer(path, content)}
	ds, _, err := p.block(nil, 0)
	if err != nil {
		return nil, nil, err
	}
	return ds, p.lx.comments, nil
}

type parser struct{ lx *lexer }

// rawBlock reports directives whose block body is another language
// (OpenResty's *_by_lua_block and friends); nginx hands their bytes to a
// different parser, so our tokens would be meaningless there.
func rawBlock(name string) bool {
	return strings.HasSuffix(name, "_lua_block")
}

// block parses directives until the '}' closing parent (or EOF at top level)
// and returns them with the closing token.
func (p *parser) block(parent *Directive, depth int) ([]*Directive, token, error) {
	var out []*Directive
	var cur *Directive
	for {
		t, err := p.lx.next()
		if err != nil {
			return nil, t, err
		}
		switch t.kind {
		case tokWord:
			if cur == nil {
				cur = &Directive{Name: t.val, File: p.lx.path, Line: t.line, Start: t.start}
			} else {
				cur.Args = append(cur.Args, t.val)
			}
		case tokSemi, tokOpen:
			if cur == nil {
				return nil, t, p.lx.errorf(t.line, "unexpected %q", t.val)
			}
			if rawBlock(cur.Name) {
				return nil, t, p.lx.errorf(cur.Line, "directive %q not understood: its body is not nginx syntax", cur.Name)
			}
			if t.kind == tokOpen {
				if depth+1 > maxDepth {
					return nil, t, p.lx.errorf(t.line, "blocks nested deeper than %d", maxDepth)
				}
				kids, end, err := p.block(cur, depth+1)
				if err != nil {
					return nil, t, err
				}
				cur.Block, cur.HasBlock, t = kids, true, end
			}
			cur.End = t.end
			out = append(out, cur)
			cur = nil
		case tokClose:
			if cur != nil {
				return nil, t, p.lx.errorf(t.line, "unexpected \"}\": directive %q is not terminated by \";\"", cur.Name)
			}
			if parent == nil {
				return nil, t, p.lx.errorf(t.line, "unexpected \"}\" without a matching \"{\"")
			}
			return out, t, nil
		case tokEOF:
			if cur != nil {
				return nil, t, p.lx.errorf(cur.Line, "unexpected end of file: directive %q is not terminated by \";\"", cur.Name)
			}
			if parent != nil {
				return nil, t, p.lx.errorf(parent.Line, "unexpected end of file: block %q is not closed by \"}\"", parent.Name)
			}
			return out, t, nil
		}
	}
}

// Comment is one "#" comment of a file (a "#" inside a word or a quoted
// string is not one).
type Comment struct {
	Line int
	Text string
}

// Comments lists the comments of a file, in order.
func Comments(path string, content []byte) ([]Comment, error) {
	_, cs, err := parseFile(path, content)
	if err != nil {
		return nil, err
	}
	out := make([]Comment, len(cs))
	for i, c := range cs {
		out[i] = Comment{Line: c.line, Text: c.text}
	}
	return out, nil
}
