package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
)

// langChosen is false when neither --lang nor a locale said which
// language to speak (an SSH session that forwards no LANG): the wizard's
// first screen then offers the switch.
var langChosen bool

// setLanguage picks the language before the command tree is built, so
// --help is in it too: --lang when given, else the locale. A bad --lang
// is bad input (exit 2), named as the flag.
func setLanguage(args []string, getenv func(string) string, stderr io.Writer) (ok bool) {
	lang, forwarded := i18n.FromEnv(getenv)
	if v, given := langArg(args); given {
		l, err := i18n.Parse(v)
		if err != nil {
			i18n.Set(lang)
			fmt.Fprintf(stderr, "httpsify: --%s: %v\n", provision.FlagLang, err)
			return false
		}
		lang, forwarded = l, true
	}
	i18n.Set(lang)
	langChosen = forwarded
	return true
}

// langArg finds --lang's value in the arguments (--lang zh, --lang=zh,
// -lang zh), before a "--".
func langArg(args []string) (string, bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		for _, p := range []string{"--" + provision.FlagLang, "-" + provision.FlagLang} {
			if a == p && i+1 < len(args) {
				return args[i+1], true
			}
			if v, ok := strings.CutPrefix(a, p+"="); ok {
				return v, true
			}
		}
	}
	return "", false
}

// localizeHelp puts cobra's own headings of --help in the user's
// language; the texts under them are translated where they are declared.
func localizeHelp(root *cobra.Command) {
	if i18n.Current() == i18n.En {
		return
	}
	t := root.UsageTemplate()
	for _, h := range []string{
		i18n.N("Usage:"), i18n.N("Aliases:"), i18n.N("Examples:"), i18n.N("Available Commands:"),
		i18n.N("Additional Commands:"), i18n.N("Global Flags:"), i18n.N("Flags:"), i18n.N("Additional help topics:"),
	} {
		t = strings.ReplaceAll(t, h, i18n.Tr(h))
	}
	t = strings.ReplaceAll(t, `Use "{{.CommandPath}} [command] --help" for more information about a command.`,
		i18n.T(`Use "%s [command] --help" for more information about a command.`, "{{.CommandPath}}"))
	root.SetUsageTemplate(t)
}
