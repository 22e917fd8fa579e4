// Command gen writes the DNS provider catalog (../catalog.json) from the
// metadata files lego ships beside each DNS provider
// (providers/dns/<name>/<name>.toml) in the module version go.mod pins.
//
//	go generate ./assets/dnsproviders
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
)

const legoModule = "github.com/go-acme/lego/v4"

func main() {
	out := flag.String("o", "catalog.json", "file to write")
	flag.Parse()
	b, err := generate()
	if err == nil {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dnsproviders/gen:", err)
		os.Exit(1)
	}
}

// generate builds the catalog file's bytes from the pinned lego module.
func generate() ([]byte, error) {
	dir, version, err := locateModule()
	if err != nil {
		return nil, err
	}
	c, err := buildCatalog(dir, version)
	if err != nil {
		return nil, err
	}
	return encode(c)
}

// locateModule asks the go command where the module version this build
// selects lives, so the catalog follows go.mod and nothing else.
func locateModule() (dir, version string, err error) {
	cmd := exec.Command("go", "list", "-m", "-json", legoModule)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", "", fmt.Errorf("go list -m %s: %v\n%s", legoModule, err, stderr.Bytes())
	}
	var m struct{ Version, Dir string }
	if err := json.Unmarshal(out, &m); err != nil {
		return "", "", fmt.Errorf("go list -m %s: %v", legoModule, err)
	}
	if m.Dir == "" {
		return "", "", fmt.Errorf("%s@%s is not in the module cache; run: go mod download %s", legoModule, m.Version, legoModule)
	}
	return m.Dir, m.Version, nil
}
