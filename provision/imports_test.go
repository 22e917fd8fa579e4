package provision

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// The engine reaches the web server only through the Server seam: its
// root package, and everything that package imports, holds no nginx code.
func TestEngineImportsNoServerCode(t *testing.T) {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goBin, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		switch pkg {
		case "github.com/httpsify/httpsify/provision/nginx", "github.com/httpsify/httpsify/provision/nginxconf":
			t.Errorf("the engine depends on %s", pkg)
		}
	}
}

// Errors are classified by type, never by their text: no code outside the
// tests looks inside an error's message.
func TestNoCodeMatchesErrorText(t *testing.T) {
	re := regexp.MustCompile(`(Contains|HasPrefix|HasSuffix|Index|EqualFold|MatchString)\([^()]*(\.Error\(\)|msg\b)`)
	root := filepath.Join("..")
	for _, dir := range []string{"provision", "steps", "ui", "cmd"} {
		filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for i, line := range strings.Split(string(b), "\n") {
				if re.MatchString(line) {
					t.Errorf("%s:%d matches an error's text: %s", path, i+1, strings.TrimSpace(line))
				}
			}
			return nil
		})
	}
}
