package nginxconf

import (
	"errors"
	"testing"
)

// FuzzParse checks that Parse never panics and that on success every offset
// is in bounds and ordered, since the engine slices file content with them.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"",
		"a;",
		"http { server { listen 80; location / { proxy_pass http://x; } } }",
		`a "b\"c" 'd\'e' f\ g ${h}i j}k;`,
		"# c { ;\na 'multi\nline'; # x\n",
		"a {",
		"}",
		`a "b`,
		"content_by_lua_block { ngx.say('}') }",
		`if ($a = "b") { return 404; }`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Parse("fuzz.conf", data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error %v: not a located *ParseError", err)
			}
			return
		}
		checkTree(t, data, ds, 0, len(data))
	})
}

// FuzzParseDump checks that ParseDump never panics and that a successful
// split accounts for every byte: re-dumping the files reproduces the input.
func FuzzParseDump(f *testing.F) {
	f.Add([]byte("# configuration file /a.conf:\na;\n\n# configuration file /b:\n\n"))
	f.Add([]byte("# configuration file /a.conf:\n# configuration file /x:\n\n"))
	f.Add([]byte("# configuration file /a:\nx"))
	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := ParseDump(data)
		if err != nil {
			return
		}
		if got := dumpOf(files...); string(got) != string(data) {
			t.Fatalf("re-dump %q != input %q", got, data)
		}
	})
}
