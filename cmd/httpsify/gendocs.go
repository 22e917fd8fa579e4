//go:build gendocs

package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/httpsify/httpsify/assets/i18n"
)

// gen-docs writes the man pages and shell completions from the command
// tree. It exists only in builds with -tags gendocs (make docs), so the
// shipped binary carries no man page renderer.
func init() {
	extraCommands = append(extraCommands, func() *cobra.Command {
		return &cobra.Command{
			Use:    "gen-docs DIR",
			Short:  "write DIR/man8/*.8 and DIR/completions/{httpsify.bash,_httpsify,httpsify.fish}",
			Hidden: true,
			Args:   cobra.ExactArgs(1),
			RunE: func(c *cobra.Command, args []string) error {
				// The man pages and completions ship in English, whatever
				// the locale of the build: the tree is built again in it.
				i18n.Set(i18n.En)
				return genDocs(newRootCmd(new(int)), args[0])
			},
		}
	})
}

func genDocs(root *cobra.Command, dir string) error {
	man := filepath.Join(dir, "man8")
	comp := filepath.Join(dir, "completions")
	for _, d := range []string{man, comp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	// The date is SOURCE_DATE_EPOCH's when set (make passes the commit's).
	header := &doc.GenManHeader{
		Section: "8",
		Source:  "httpsify " + currentVersion().Version,
		Manual:  "System Manager's Manual",
	}
	if err := doc.GenManTree(root, header, man); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	for name, gen := range map[string]func(string) error{
		"httpsify.bash": func(p string) error { return root.GenBashCompletionFileV2(p, true) },
		"_httpsify":     root.GenZshCompletionFile,
		"httpsify.fish": func(p string) error { return root.GenFishCompletionFile(p, true) },
	} {
		if err := gen(filepath.Join(comp, name)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}
