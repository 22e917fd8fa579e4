package provision

import (
	"os/exec"
	"path/filepath"
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
