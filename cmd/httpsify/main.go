// Command httpsify puts HTTPS in front of a site: run it with no
// arguments for the wizard, or `httpsify apply` to do the same headless.
package main

import (
	"fmt"
	"os"

	"github.com/httpsify/httpsify/provision"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	provision.ProductVersion = version
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "--version", "-version", "version":
			fmt.Println("httpsify", version)
			return 0
		case "apply":
			return runApply(args[1:])
		case "help", "-h", "--help":
			usage(os.Stdout)
			return 0
		}
	}
	usage(os.Stderr)
	return 2
}

func usage(w *os.File) {
	fmt.Fprint(w, `httpsify puts HTTPS in front of a site, with a certificate from an ACME CA.

Usage:
  sudo httpsify apply --domain NAME [--upstream ADDR] --email ADDR --agree-tos [flags]
  httpsify --version

Run 'httpsify apply -h' for every flag.
`)
}
