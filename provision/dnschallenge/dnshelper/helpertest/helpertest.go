// Package helpertest builds the real DNS provider helper
// (cmd/httpsify-dns-provider) for tests that run DNS-01 through a
// provider: the helper is never faked.
package helpertest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// Package is the helper's import path.
const Package = "github.com/httpsify/httpsify/cmd/httpsify-dns-provider"

// Build builds the helper to path.
func Build(path string) error {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goBin, "build", "-o", path, Package).CombinedOutput()
	if err != nil {
		return fmt.Errorf("building %s: %v\n%s", Package, err, out)
	}
	return nil
}

// BuildBesideExecutable builds the helper beside the running (test)
// binary, where httpsify looks first, and returns its path (for the
// caller to remove).
func BuildBesideExecutable() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	path := filepath.Join(filepath.Dir(exe), "httpsify-dns-provider")
	return path, Build(path)
}
