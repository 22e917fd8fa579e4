package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/sys/unix"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/termtext"
	"github.com/httpsify/httpsify/steps"
	"github.com/httpsify/httpsify/ui"
)

// noTTYMessage is what `ssh host sudo httpsify` (no -t) gets.
var noTTYMessage = i18n.N("httpsify needs a terminal. Use `ssh -t host sudo httpsify`, or run `httpsify apply --domain ... --yes` for scripts.")

// env is what the wizard checks before drawing anything; a value so the
// checks can be tested without being another user or losing the tty.
type env struct {
	root, stdinTTY, stdoutTTY bool
	argv                      []string
}

// gate refuses to start without root or without a terminal, before any
// screen is drawn. Accessible mode reads plain lines and needs no tty.
func gate(e env, accessible bool) (string, int) {
	if !e.root {
		return i18n.T("httpsify needs root: it changes nginx's configuration and installs certificates.\nRun it with sudo:\n  sudo %s", provision.ShellJoin(e.argv)), 1
	}
	if !accessible && (!e.stdinTTY || !e.stdoutTTY) {
		return i18n.Tr(noTTYMessage), 2
	}
	return "", 0
}

// runWizard is `httpsify` without a command, once its flags are parsed.
func runWizard(o provision.Options, rf runFlags, wf wizardFlags) int {
	secretsFromEnv(&o)
	plain := wf.accessible || os.Getenv("TERM") == "dumb"
	e := env{root: os.Geteuid() == 0, stdinTTY: isTerminal(os.Stdin), stdoutTTY: isTerminal(os.Stdout), argv: os.Args}
	if msg, code := gate(e, plain); code != 0 {
		fmt.Fprintln(os.Stderr, msg)
		return code
	}
	base, err := baseSettings(o)
	if err != nil {
		fmt.Fprintf(os.Stderr, "httpsify: %v\n", err)
		return 2
	}
	sched, err := rf.scheduleSpec()
	if err != nil {
		fmt.Fprintf(os.Stderr, "httpsify: %v\n", err)
		return 2
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	feed := steps.NewFeed()
	sess, err := provision.Open(ctx, webServer(), base, feed.Sink, rf.wait)
	if err != nil {
		fmt.Fprintf(os.Stderr, "httpsify: %s\n", termtext.Clean(err.Error()))
		var fe *provision.FieldError
		if errors.As(err, &fe) {
			return 2 // e.g. a --state-dir another user could write
		}
		return 1
	}
	defer sess.Close()
	sess.Schedule = sched

	color := !wf.noColor && os.Getenv("NO_COLOR") == "" && !plain
	ui.SetupTerminal(color)
	lookup := provision.SystemLookup
	if wf.dnsServer != "" {
		lookup = provision.LookupVia(wf.dnsServer)
	}
	st := &steps.State{
		Deps: steps.Deps{
			Ctx: ctx, Engine: steps.SessionEngine{Session: sess}, Feed: feed,
			Theme: ui.NewTheme(color), Keys: ui.Keys,
			Lookup: lookup, LocalAddrs: provision.LocalAddrs, TermsURL: provision.TermsURL,
			Preflight: provision.RunPreflight, Verbose: rf.verbose,
			OfferLang: !langChosen,
			Manager:   steps.SessionEngine{Session: sess},
		},
		Answers: steps.Answers{Opts: o, Base: base},
	}
	finish := func() {
		cancel()     // an issuance in flight stops and cleans up
		feed.Close() // nothing reads events any more
		feed.Wait()  // a deploy in flight finishes or rolls back
	}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)

	if plain {
		// Line prompts block on stdin, so a signal is handled here: stop
		// an issuance, let a deploy finish or roll back, then leave.
		go func() {
			<-sigs
			finish()
			sess.Close()
			fmt.Fprintln(os.Stderr, "\nhttpsify: "+i18n.T("interrupted; nothing is left half-changed. ")+st.PlainCancelNote())
			os.Exit(ui.ExitInterrupted)
		}()
		code := steps.RunPlain(st, os.Stdin, termtext.Writer(os.Stdout))
		finish()
		return code
	}

	shell := steps.New(st)
	// Signals are the shell's to handle: SIGHUP (a dropped SSH session)
	// and SIGTERM must not cut a deploy in half.
	p := tea.NewProgram(shell, tea.WithoutSignalHandler())
	go func() {
		for range sigs {
			p.Send(ui.SignalMsg{})
		}
	}()
	_, err = p.Run()
	finish()
	if err != nil {
		fmt.Fprintf(os.Stderr, "httpsify: %v\n", err)
		return 1
	}
	if shell.Farewell != "" {
		fmt.Println(termtext.Styled(shell.Farewell))
	}
	return shell.Code
}

// baseSettings checks every flag given before the names are known (a
// bad one is refused at once, naming it) and returns the host settings
// preflight needs: the ports, directories and nginx.
func baseSettings(o provision.Options) (*provision.Host, error) {
	if err := o.CheckGiven(); err != nil {
		return nil, err
	}
	return o.ValidateHost()
}

func isTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}
