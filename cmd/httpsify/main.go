// Command httpsify puts HTTPS in front of a site: run it with no
// arguments for the wizard, or `httpsify apply` to do the same headless.
package main

import (
	"fmt"
	"os"
	"strings"

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
		case "dns-providers":
			return runDNSProviders(args[1:], os.Stdout, os.Stderr)
		case "help", "-h", "--help":
			usage(os.Stdout)
			return 0
		}
	}
	// No subcommand: the wizard, with the same flags as apply.
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return runWizard(args)
	}
	usage(os.Stderr)
	return 2
}

func usage(w *os.File) {
	fmt.Fprint(w, `httpsify puts HTTPS in front of a site, with a certificate from an ACME CA.

Usage:
  sudo httpsify [flags]      the wizard: asks, shows every change, then applies it
  sudo httpsify apply --domain NAME [--upstream ADDR] --email ADDR --agree-tos [flags]
  httpsify dns-providers [CODE]   the DNS providers for DNS-01, or one's variables
  httpsify --version

The wizard takes apply's flags (they pre-fill its answers) and also
--no-color, --accessible (plain line prompts) and --dns-server HOST:PORT.
Run 'httpsify apply -h' for every flag.
`)
}
