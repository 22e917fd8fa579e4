package nginxconf

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// checkTree verifies the offset invariants every caller relies on: each
// directive's bytes start with its name and end with ';' or '}', children
// lie inside their parent, and siblings do not overlap.
func checkTree(t testing.TB, content []byte, ds []*Directive, lo, hi int) {
	t.Helper()
	prev := lo
	for _, d := range ds {
		if d.Start < prev || d.End > hi || d.Start >= d.End || d.Line < 1 {
			t.Fatalf("%s: bad range [%d:%d] line %d within [%d:%d]", d.Name, d.Start, d.End, d.Line, prev, hi)
		}
		text := string(content[d.Start:d.End])
		last := text[len(text)-1]
		if d.HasBlock && last != '}' || !d.HasBlock && last != ';' {
			t.Fatalf("%s: text %q ends with %q", d.Name, text, last)
		}
		// The first token at Start must be the name (quoted or escaped alike).
		if tok, err := newLexer("", content[d.Start:d.End]).next(); err != nil || tok.kind != tokWord || tok.start != 0 || tok.val != d.Name {
			t.Fatalf("text %q does not begin with name %q", text, d.Name)
		}
		if got := 1 + strings.Count(string(content[:d.Start]), "\n"); got != d.Line {
			t.Fatalf("%s: line %d, counted %d", d.Name, d.Line, got)
		}
		if !d.HasBlock && d.Block != nil {
			t.Fatalf("%s: children without block", d.Name)
		}
		checkTree(t, content, d.Block, d.Start, d.End)
		prev = d.End
	}
}

func TestParseTree(t *testing.T) {
	src := `# top comment with { and ; inside
user www-data;
events { worker_connections 768; }  # trailing } comment ;
http {
    include mime.types;
    server {
        listen 80 default_server;
        location / {
            if ($host = x) { return 404; }
        }
    }
}
`
	ds, err := Parse("/etc/nginx/nginx.conf", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	checkTree(t, []byte(src), ds, 0, len(src))
	var names []string
	var walk func([]*Directive, string)
	walk = func(ds []*Directive, indent string) {
		for _, d := range ds {
			names = append(names, indent+d.Name+" "+strings.Join(d.Args, ","))
			walk(d.Block, indent+".")
		}
	}
	walk(ds, "")
	want := []string{
		"user www-data", "events ", ".worker_connections 768", "http ", ".include mime.types",
		".server ", "..listen 80,default_server", "..location /", "...if ($host,=,x)", "....return 404",
	}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("got %q\nwant %q", names, want)
	}
	if ds[0].Line != 2 || ds[2].Line != 4 || ds[2].Block[1].Block[1].Line != 8 {
		t.Errorf("lines: %d %d %d", ds[0].Line, ds[2].Line, ds[2].Block[1].Block[1].Line)
	}
	if ds[0].File != "/etc/nginx/nginx.conf" {
		t.Errorf("File = %q", ds[0].File)
	}
	loc := ds[2].Block[1].Block[1]
	if got := src[loc.Start:loc.End]; got != "location / {\n            if ($host = x) { return 404; }\n        }" {
		t.Errorf("location text %q", got)
	}
}

func TestParseTokens(t *testing.T) {
	tests := []struct {
		src  string
		name string
		args []string
	}{
		{`a "b c" 'd e';`, "a", []string{"b c", "d e"}},
		{`a "x\"y" 'it\'s' "back\\slash";`, "a", []string{`x"y`, "it's", `back\slash`}},
		{`a "t\tn\nr\r" "keep\d";`, "a", []string{"t\tn\nr\r", `keep\d`}},
		{`a b\ c;`, "a", []string{`b\ c`}},                                // escaped space stays in the word
		{`set $x ${host}suffix;`, "set", []string{"$x", "${host}suffix"}}, // ${var} does not open a block
		{`return 200 a}b;`, "return", []string{"200", "a}b"}},             // '}' inside a word is literal
		{`a b#c;`, "a", []string{"b#c"}},                                  // '#' inside a word is literal
		{"a\n'multi\nline';", "a", []string{"multi\nline"}},
		{`"quoted name" x;`, "quoted name", []string{"x"}},
		{`if ($a = "b") {}`, "if", []string{"($a", "=", "b", ")"}},
		{`a "";`, "a", []string{""}},
		{"a\tb\r\nc;", "a", []string{"b", "c"}},
		{`a"b" c'd';`, "a\"b\"", []string{"c'd'"}}, // quotes mid-word are literal
		{`a;# comment at EOF without newline`, "a", nil},
	}
	for _, tt := range tests {
		ds, err := Parse("t.conf", []byte(tt.src))
		if err != nil {
			t.Errorf("%q: %v", tt.src, err)
			continue
		}
		checkTree(t, []byte(tt.src), ds, 0, len(tt.src))
		if len(ds) != 1 || ds[0].Name != tt.name || !reflect.DeepEqual(ds[0].Args, tt.args) {
			t.Errorf("%q: got %+v", tt.src, ds[0])
		}
	}
}

func TestParseComments(t *testing.T) {
	src := "a; # b { c ; }\n# { ;\nd 'e # f'; # ;\n"
	ds, cs, err := parseFile("t.conf", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[1].Name != "d" || ds[1].Args[0] != "e # f" || ds[1].Line != 3 {
		t.Fatalf("got %+v", ds)
	}
	var texts []string
	for _, c := range cs {
		texts = append(texts, c.text)
		if src[c.start:c.end] != c.text {
			t.Errorf("comment offsets %d:%d", c.start, c.end)
		}
	}
	if want := []string{"# b { c ; }", "# { ;", "# ;"}; !reflect.DeepEqual(texts, want) {
		t.Errorf("comments %q", texts)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src, want string
		line      int
	}{
		{"http {\n  server {\n}\n", `block "http" is not closed`, 1},
		{"a;\n}\n", `unexpected "}"`, 2},
		{"a {\n b c }\n", `directive "b" is not terminated`, 2},
		{"a \"b;\n\n", "unterminated", 1},
		{"a 'b;", "unterminated", 1},
		{"a b", `directive "a" is not terminated`, 1},
		{"\n;", `unexpected ";"`, 2},
		{"{ a; }", `unexpected "{"`, 1},
		{`a "b"c;`, `unexpected 'c' after quoted string`, 1},
		{"server {\n  location / {\n    content_by_lua_block {\n      ngx.say(\"}\")\n    }\n  }\n}\n", "not understood", 3},
		{"init_lua_block { x }", "not understood", 1},
		{"access_by_lua_block;", "not understood", 1},
		{strings.Repeat("a {", maxDepth+1), "nested deeper", 1},
	}
	for _, tt := range tests {
		_, err := Parse("/etc/nginx/x.conf", []byte(tt.src))
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: err = %v, want ParseError", tt.src, err)
			continue
		}
		if !strings.Contains(pe.Msg, tt.want) || pe.Line != tt.line || pe.File != "/etc/nginx/x.conf" {
			t.Errorf("%q: got %v, want line %d containing %q", tt.src, err, tt.line, tt.want)
		}
		if !strings.HasPrefix(err.Error(), "/etc/nginx/x.conf:") {
			t.Errorf("%q: error %q lacks file:line", tt.src, err)
		}
	}
}
