package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The shipped binary stays lean and quick to start: chroma's lexer
// registry compiles every lexer at init, and the man page renderer and
// the packager are build-time tools only. lego's DNS providers (their
// package init alone took ~16 ms of every start and 40 MiB of binary) run
// in the helper, cmd/httpsify-dns-provider.
func TestShippedBinaryLeavesOutBuildTools(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/alecthomas/chroma/v2/lexers", "github.com/spf13/cobra/doc", "github.com/cpuguy83/go-md2man", "github.com/goreleaser/nfpm", "github.com/go-acme/lego/v4/providers/dns"} {
			if strings.HasPrefix(pkg, banned) {
				t.Errorf("cmd/httpsify depends on %s", pkg)
			}
		}
	}
}
