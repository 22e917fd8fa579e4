package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// longFlagsWithOneDash keeps the spellings Go's flag package accepted
// before httpsify moved to cobra: -domain x and -version still work. A
// word with one dash becomes --word when it names a long flag of the
// command it follows; anything after "--" is left alone.
func longFlagsWithOneDash(root *cobra.Command, args []string) []string {
	cmd := root
	if len(args) > 0 {
		if c, _, err := root.Find(args[:1]); err == nil {
			cmd = c
		}
	}
	cmd.InitDefaultHelpFlag() // so -help is --help
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a == "--" {
			copy(out[i:], args[i:])
			break
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(a, "-"), "=")
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && len(name) > 1 && cmd.Flags().Lookup(name) != nil {
			out[i] = "-" + a
		}
	}
	return out
}
