// Command httpsify puts HTTPS in front of a site: run it with no
// arguments for the wizard, or `httpsify apply` to do the same headless.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/acme"
)

func main() {
	acme.ProductVersion = currentVersion().Version
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns its exit code: the command's
// own, or 2 when cobra refused the line (unknown flag or command, a value
// that does not parse), since that is bad input.
func run(args []string, stdout, stderr io.Writer) int {
	if !setLanguage(args, os.Getenv, stderr) {
		return 2
	}
	code := 0
	root := newRootCmd(&code)
	root.SetArgs(longFlagsWithOneDash(root, args))
	root.SetOut(stdout)
	root.SetErr(stderr)
	if c, err := root.ExecuteC(); err != nil {
		fmt.Fprint(stderr, i18n.T("httpsify: %v\nRun '%s --help' for usage.\n", err, c.CommandPath()))
		return 2
	}
	return code
}
