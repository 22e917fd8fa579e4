package main

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// The committed catalog must be exactly what the generator makes from the
// lego version go.mod pins: a lego upgrade without `go generate` fails here.
func TestCommittedCatalogMatchesPinnedLego(t *testing.T) {
	want, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		i := 0
		for i < len(gl) && i < len(wl) && gl[i] == wl[i] {
			i++
		}
		t.Fatalf("assets/dnsproviders/catalog.json is stale (first difference at line %d); run: go generate ./assets/dnsproviders\ncommitted: %q\ngenerated: %q",
			i+1, at(gl, i), at(wl, i))
	}
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end of file)"
}

// Every code and alias in the catalog must be one lego's own factory
// (providers/dns.NewDNSChallengeProviderByName) accepts, and the other way
// round, or the engine would offer providers it cannot start. The factory
// is read as source, not imported, to keep the providers out of this test.
func TestCodesMatchLegoFactory(t *testing.T) {
	dir, version, err := locateModule()
	if err != nil {
		t.Fatal(err)
	}
	c, err := buildCatalog(dir, version)
	if err != nil {
		t.Fatal(err)
	}
	var catalogCodes []string
	for _, p := range c.Providers {
		catalogCodes = append(catalogCodes, p.Code)
		catalogCodes = append(catalogCodes, p.Aliases...)
	}
	factoryCodes := factoryCases(t, filepath.Join(dir, "providers", "dns", "zz_gen_dns_providers.go"))
	slices.Sort(catalogCodes)
	slices.Sort(factoryCodes)
	if !slices.Equal(catalogCodes, factoryCodes) {
		t.Errorf("catalog codes differ from lego's factory:\nonly in catalog: %v\nonly in factory: %v",
			minus(catalogCodes, factoryCodes), minus(factoryCodes, catalogCodes))
	}
}

// factoryCases returns the string constants of the case clauses in
// NewDNSChallengeProviderByName.
func factoryCases(t *testing.T, file string) []string {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "NewDNSChallengeProviderByName" {
			continue
		}
		ast.Inspect(fn, func(n ast.Node) bool {
			cc, ok := n.(*ast.CaseClause)
			if !ok {
				return true
			}
			for _, e := range cc.List {
				if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					codes = append(codes, s)
				}
			}
			return true
		})
	}
	if len(codes) == 0 {
		t.Fatalf("no case clauses found in NewDNSChallengeProviderByName in %s", file)
	}
	return codes
}

func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// writeModule lays out a fake module with the given provider tomls.
func writeModule(t *testing.T, tomls map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range tomls {
		d := filepath.Join(dir, "providers", "dns", name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, name+".toml"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Text from lego reaches a terminal: escape sequences (colours, cursor
// moves, window titles, 8-bit CSI), bells, bidi overrides and zero-width
// characters must not survive into the catalog, while the readable text
// around them must.
func TestHostileTextIsCleaned(t *testing.T) {
	dir := writeModule(t, map[string]string{"evil": `
Name = "Evil\u001b[31mRed\u001b[0m DNS\u0007"
Code = "evil"
URL = "https://evil.example/\u001b]0;pwned\u0007"
Description = '''
First line	with a tab
` + "\u202e" + `reversed` + "\u200b" + ` text


Second paragraph` + "\u009b" + `2J
'''
[Configuration]
  [Configuration.Credentials]
    EVIL_TOKEN = "Token\u001b]0;new title\u0007 for the\r\nAPI\u0085"
    EVIL_ZERO = "Z\u200de\u00adr\ufe0fo"
  [Configuration.Additional]
    EVIL_TTL = "TTL\u001b[2J\u001b[H (Default: 60)"
`})
	c, err := buildCatalog(dir, "v0.0.0")
	if err != nil {
		t.Fatal(err)
	}
	p := c.Providers[0]
	checks := []struct{ field, got, want string }{
		{"Name", p.Name, "EvilRed DNS"},
		{"URL", p.URL, "https://evil.example/"},
		{"Description", p.Description, "First line with a tab\nreversed text\n\nSecond paragraph 2J"},
		{"credential 0", p.Credentials[0].Description, "Token for the API"},
		{"credential 1", p.Credentials[1].Description, "Zero"},
		{"option 0", p.Options[0].Description, "TTL (Default: 60)"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
		for _, r := range c.got {
			if (unicode.IsControl(r) && r != '\n') || invisible(r) {
				t.Errorf("%s keeps %U: %q", c.field, r, c.got)
			}
		}
	}
}

// Variables keep lego's order (main credentials first), which a TOML map
// alone would lose; keys that are not variable names become notes.
func TestVariableOrderAndNotes(t *testing.T) {
	dir := writeModule(t, map[string]string{"ord": `
Name = "Ordered"
Code = "ord"
URL = "https://ord.example/"
[Configuration]
  [Configuration.Credentials]
    ORD_ZULU = "z"
    ORD_ALPHA = "a"
    'how credentials are found' = "From the metadata service otherwise."
    ORD_MIKE = "m"
  [Configuration.Additional]
    ORD_TTL = "t"
    TF_VAR_region = "r"
    ORD_BASE = "b"
`})
	c, err := buildCatalog(dir, "v0.0.0")
	if err != nil {
		t.Fatal(err)
	}
	p := c.Providers[0]
	var creds, opts []string
	for _, v := range p.Credentials {
		creds = append(creds, v.Name)
	}
	for _, v := range p.Options {
		opts = append(opts, v.Name)
	}
	if want := []string{"ORD_ZULU", "ORD_ALPHA", "ORD_MIKE"}; !slices.Equal(creds, want) {
		t.Errorf("credentials %v, want %v", creds, want)
	}
	if want := []string{"ORD_TTL", "TF_VAR_region", "ORD_BASE"}; !slices.Equal(opts, want) {
		t.Errorf("options %v, want %v", opts, want)
	}
	if want := []string{"From the metadata service otherwise."}; !slices.Equal(p.Notes, want) {
		t.Errorf("notes %q, want %q", p.Notes, want)
	}
	if p.URL != "https://ord.example/" {
		t.Errorf("URL %q", p.URL)
	}
}

func TestGeneratorRefusesSurprises(t *testing.T) {
	for name, tomls := range map[string]map[string]string{
		"code with a space": {"a": "Name = \"A\"\nCode = \"a b\"\n"},
		"upper-case code":   {"a": "Name = \"A\"\nCode = \"Abc\"\n"},
		"escape in alias":   {"a": "Name = \"A\"\nCode = \"a\"\nAliases = [\"b\\u001b[2J\"]\n"},
		"no name":           {"a": "Name = \"\\u001b[0m\"\nCode = \"a\"\n"},
		"code claimed twice": {
			"a": "Name = \"A\"\nCode = \"a\"\n",
			"b": "Name = \"B\"\nCode = \"b\"\nAliases = [\"a\"]\n",
		},
		"no toml at all": {},
	} {
		t.Run(name, func(t *testing.T) {
			if c, err := buildCatalog(writeModule(t, tomls), "v0.0.0"); err == nil {
				t.Errorf("built a catalog: %+v", c.Providers)
			}
		})
	}
}
