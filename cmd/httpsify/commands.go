package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
)

// newRootCmd is the command tree: the wizard at the root, apply and
// version below it. A command's exit code goes to *code; an error
// returned by cobra itself (unknown flag or command, bad value) is bad
// input and exits 2.
func newRootCmd(code *int) *cobra.Command {
	var (
		wo provision.Options
		wr runFlags
		ww wizardFlags
	)
	root := &cobra.Command{
		Use:   "httpsify",
		Short: i18n.T("put HTTPS in front of an nginx site, with a certificate from an ACME CA"),
		Long: i18n.T(`httpsify puts HTTPS in front of a site in one sitting. Run without a command
(sudo httpsify, over ssh -t), it is a wizard: it finds nginx and its sites, asks
for the domain and the CA, gets the certificate, previews every change, asks
before writing, then reloads nginx and verifies that the site serves the new
certificate. It takes every flag apply takes; they pre-fill its answers.

Every change is staged, checked with nginx -t, swapped in atomically, backed
up under STATE-DIR/backups/RUN/ and rolled back on any failure.

Environment: HTTPSIFY_EAB_HMAC holds the EAB HMAC key (instead of --eab-hmac,
which other users can read in the process list); NO_COLOR turns colours off;
TERM=dumb selects plain line prompts.

Files: /etc/httpsify (--state-dir) holds the CA accounts and their private
keys, the certificates and their keys (live/DOMAIN), backups, the journal
and the lock. Removing the package keeps it: nginx still reads the
certificates from there. httpsify-dns-provider, beside httpsify or in
../lib/httpsify from its directory (/usr/lib/httpsify), runs lego's DNS
providers for DNS-01; --version says which one httpsify would run.`),
		Example: `  ssh -t you@server sudo httpsify
  sudo httpsify --domain www.example.com --email me@example.com`,
		Version: versionLine(),
		// No Args check here: cobra's own then names a mistyped command
		// ("unknown command "appyl" … Did you mean this? apply").
		RunE: func(*cobra.Command, []string) error {
			*code = runWizard(wo, wr, ww)
			return nil
		},
	}
	// Declared here so cobra adds no -v shorthand for it.
	root.Flags().Bool("version", false, i18n.T("print the version, commit, build date, and Go and lego versions"))
	langFlag(root.PersistentFlags())
	optionFlags(root.Flags(), &wo)
	wr.register(root.Flags())
	ww.register(root.Flags())
	completeOptionValues(root)

	root.AddCommand(newApplyCmd(code), newVersionCmd(), newDNSProvidersCmd(code))
	root.AddCommand(newStatusCmd(code), newRollbackCmd(code))
	root.AddCommand(newRenewCmd(code))
	root.AddCommand(newRemoveCmd(code))
	for _, c := range extraCommands {
		root.AddCommand(c())
	}
	// `httpsify completion bash|zsh|fish` stays available for installs
	// without a package, but out of the help: packages ship the scripts.
	root.CompletionOptions.HiddenDefaultCmd = true
	root.SetVersionTemplate("{{.Version}}\n")
	localizeHelp(root)
	root.SilenceErrors = true
	root.SilenceUsage = true
	root.DisableAutoGenTag = true
	return root
}

func newApplyCmd(code *int) *cobra.Command {
	var (
		o  provision.Options
		rf runFlags
		af applyFlags
	)
	c := &cobra.Command{
		Use:   "apply --domain NAME [--upstream ADDR] --email ADDR --agree-tos [flags]",
		Short: i18n.T("do what the wizard does, headless, for scripts"),
		Long: i18n.T(`apply gets a certificate for the domains and puts HTTPS in front of their nginx
site without asking anything but the final confirmation (--yes skips it; it is
required without a terminal). The upstream is taken from the site's current
proxy_pass; give it with --upstream when there is no site yet. A rerun with the
same answers keeps a good certificate, writes nothing, and verifies again.

Exit status: 0 when the site was verified to serve the new certificate; 2 on
bad input (the message names the flag, and nothing is written); 1 on any other
failure, after rolling back.`),
		Example: `  sudo httpsify apply --domain www.example.com --email me@example.com --agree-tos --yes
  sudo httpsify apply --domain example.com,www.example.com --upstream unix:/run/app.sock --dry-run`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := acmeOnlyConflict(c.Flags(), o); err != nil {
				fmt.Fprintf(os.Stderr, "httpsify: %v\n", err)
				*code = 2
				return nil
			}
			*code = runApply(o, rf, af)
			return nil
		},
	}
	optionFlags(c.Flags(), &o)
	af.register(c.Flags())
	rf.register(c.Flags())
	completeOptionValues(c)
	return c
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: i18n.T("print the version, commit, build date, and Go and lego versions"),
		Args:  noArgs,
		Run:   func(c *cobra.Command, _ []string) { fmt.Fprintln(c.OutOrStdout(), versionLine()) },
	}
}

func newDNSProvidersCmd(code *int) *cobra.Command {
	return &cobra.Command{
		Use:   "dns-providers [CODE]",
		Short: i18n.T("list the DNS providers for DNS-01, or show one provider's variables"),
		Long: i18n.T(`dns-providers lists every DNS provider httpsify can use for the DNS-01
challenge (code and name; the ones most used first). With a CODE it shows
that provider's credential and option variables with their descriptions.`),
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return dnsProviderCodes(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			*code = runDNSProviders(args, c.OutOrStdout(), c.ErrOrStderr())
			return nil
		},
	}
}

// extraCommands are added by files built only with a tag (gen-docs).
var extraCommands []func() *cobra.Command

// noArgs refuses positional arguments: everything is a flag.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return i18n.Errorf("unexpected argument %q", args[0])
	}
	return nil
}
