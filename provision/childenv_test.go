package provision

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestChildEnvKeepsOnlyTheAllowlist(t *testing.T) {
	t.Setenv("HTTPSIFY_EAB_HMAC", "c2VjcmV0LWhtYWM")
	t.Setenv("CLOUDFLARE_DNS_API_TOKEN", "dns-secret")
	t.Setenv("LC_ALL", "C.UTF-8")
	t.Setenv("PATH", "/usr/sbin:/usr/bin")
	env := strings.Join(childEnv(), "\n")
	for _, secret := range []string{"c2VjcmV0LWhtYWM", "dns-secret", "HTTPSIFY_EAB_HMAC", "CLOUDFLARE"} {
		if strings.Contains(env, secret) {
			t.Errorf("child environment carries %q:\n%s", secret, env)
		}
	}
	for _, kept := range []string{"LC_ALL=C.UTF-8", "PATH=/usr/sbin:/usr/bin"} {
		if !strings.Contains(env, kept) {
			t.Errorf("child environment lacks %q:\n%s", kept, env)
		}
	}
}

// A real child sees the scrubbed environment.
func TestCommandRunsWithScrubbedEnv(t *testing.T) {
	t.Setenv("HTTPSIFY_EAB_HMAC", "c2VjcmV0LWhtYWM")
	out, err := command(context.Background(), "/usr/bin/env").Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "c2VjcmV0LWhtYWM") || !strings.Contains(string(out), "PATH=") {
		t.Errorf("env of the child:\n%s", out)
	}
}

// Every process provision starts goes through command: a new exec.Command
// elsewhere would hand children the whole environment again.
func TestEveryExecGoesThroughCommand(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "childenv.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if ok && (sel.Sel.Name == "Command" || sel.Sel.Name == "CommandContext" || sel.Sel.Name == "StartProcess") {
				if id, ok := sel.X.(*ast.Ident); ok && (id.Name == "exec" || id.Name == "os" || id.Name == "syscall") {
					t.Errorf("%s: %s.%s bypasses command()", fset.Position(sel.Pos()), id.Name, sel.Sel.Name)
				}
			}
			return true
		})
	}
}
