package steps

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The wizard depends on the engine's API only: neither steps nor ui
// import the nginx code, the certificate store or the transactions.
func TestStepsUseTheEngineContractOnly(t *testing.T) {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goBin, "list", "-deps", ".", "../ui").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		switch pkg {
		case "github.com/httpsify/httpsify/provision/nginx", "github.com/httpsify/httpsify/provision/nginxconf":
			t.Errorf("steps/ui depend on %s", pkg)
		}
	}
	// The engine itself uses certstore and txn: what matters is that
	// steps and ui do not reach for them past it.
	out, err = exec.Command(goBin, "list", "-f", "{{.ImportPath}}: {{join .Imports \" \"}}", ".", "../ui").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, forbidden := range []string{"provision/certstore", "provision/txn", "provision/nginxconf", "provision/nginx"} {
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.Fields(line)
			for _, imp := range f[1:] {
				if strings.HasSuffix(imp, forbidden) {
					t.Errorf("%s imports %s", f[0], imp)
				}
			}
		}
	}
}
