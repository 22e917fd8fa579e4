package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/termtext"
	"github.com/httpsify/httpsify/ui"
)

// printDryRun shows the plan, then a unified diff of every file it would
// write, so a removed line cannot hide in a wall of text; full adds each
// file's whole new content.
func printDryRun(out io.Writer, p *provision.Plan, full bool) {
	var b strings.Builder
	w := &b
	defer func() { fmt.Fprint(out, termtext.Clean(b.String())) }() // the user's files, shown as text
	fmt.Fprint(w, p.Describe(full))
	for _, group := range []struct {
		title string
		list  []provision.FileChange
	}{{"during issuance", p.ChallengeEdits()}, {"final", p.Files}} {
		for _, c := range group.list {
			if c.Symlink != "" || c.Remove {
				continue
			}
			fmt.Fprintf(w, "\n--- %s\t(%s)\n+++ %s\t(%s: %s)\n", orDevNull(c.Shown, c.Existed), "now", c.Shown, group.title, c.Why)
			for _, d := range ui.Unified(string(c.Old), string(c.Content), 3) {
				switch d.Op {
				case '@':
					fmt.Fprintln(w, d.Text)
				default:
					fmt.Fprintf(w, "%c%s\n", d.Op, d.Text)
				}
			}
		}
	}
	if !full {
		fmt.Fprintln(w, "\n"+i18n.T("(--full shows every file's whole new content)"))
	}
}

func orDevNull(path string, existed bool) string {
	if !existed {
		return "/dev/null"
	}
	return path
}

// openForDryRun opens the session a dry run plans in. Without a state dir
// there is no lock to take and nothing to recover, and a dry run creates
// nothing: the session is one without a lock.
func openForDryRun(ctx context.Context, h *provision.Host, sink provision.Sink, wait time.Duration) (*provision.Session, error) {
	if _, err := os.Lstat(h.StateDir); errors.Is(err, os.ErrNotExist) {
		return provision.Unlocked(webServer(), h, sink), nil
	}
	return provision.Open(ctx, webServer(), h, sink, wait)
}
