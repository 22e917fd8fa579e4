package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Use is one message the code passes to the catalog, and where.
type Use struct {
	Key string
	Pos string // file:line
}

// calls are the functions whose argument at the index is a catalog key:
// the package's own by name, and the engine's event emitters, which
// translate their format (provision.Sink.emit/Emit).
var calls = map[string]int{
	"i18n.T": 0, "i18n.Errorf": 0, "i18n.N": 0, "i18n.NewError": 0,
	"emit": 2, "Emit": 2, "emitDNS": 2,
	"warn": 2, // provision's site status warnings
}

// Extract walks the Go sources below root (tests, testdata and the e2e,
// bench and packaging trees left out) and returns every literal catalog
// key with its position, and the positions of calls whose key is not a
// literal (only Tr may take a variable).
func Extract(root string) (uses []Use, nonLiteral []string, err error) {
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "testdata", "e2e", "bench", "packaging", ".git", "vendor":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			idx, ok := calls[callName(call.Fun)]
			if !ok || len(call.Args) <= idx {
				return true
			}
			pos := fset.Position(call.Pos())
			where := relPos(root, pos)
			if key, ok := literal(call.Args[idx]); ok {
				uses = append(uses, Use{Key: key, Pos: where})
			} else if strings.HasPrefix(callName(call.Fun), "i18n.") {
				// emit's wrappers pass their format on; i18n's own
				// calls must name their key.
				nonLiteral = append(nonLiteral, where)
			}
			return true
		})
		return nil
	})
	return uses, nonLiteral, err
}

func relPos(root string, p token.Position) string {
	if r, err := filepath.Rel(root, p.Filename); err == nil {
		return r + ":" + strconv.Itoa(p.Line)
	}
	return p.String()
}

// callName is "i18n.T" for a call through the package, the bare method
// or function name for emit/Emit.
func callName(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok && x.Name == "i18n" {
			return "i18n." + f.Sel.Name
		}
		if f.Sel.Name == "emit" || f.Sel.Name == "Emit" || f.Sel.Name == "emitDNS" {
			return f.Sel.Name
		}
	case *ast.Ident:
		if f.Name == "emit" || f.Name == "warn" {
			return f.Name
		}
	}
	return ""
}

// literal evaluates a string literal or a + of literals.
func literal(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := literal(e.X)
		b, ok2 := literal(e.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return literal(e.X)
	}
	return "", false
}

// NeedsText: a key with no letters ("%s: %v") reads the same in every
// language and needs no entry.
func NeedsText(key string) bool {
	for _, v := range verbRe.FindAllStringIndex(key, -1) {
		key = key[:v[0]] + strings.Repeat(" ", v[1]-v[0]) + key[v[1]:]
	}
	return strings.IndexFunc(key, func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x2E7F
	}) >= 0
}
