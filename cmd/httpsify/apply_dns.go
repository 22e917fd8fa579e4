package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/dnschallenge"
	"github.com/httpsify/httpsify/provision/termtext"
)

// dnsApplyOptions readies apply's DNS-01 options: credentials may come
// from the environment (the provider's own variable names), and manual
// DNS asks the user at the terminal. ok is false when apply must stop,
// with code.
func dnsApplyOptions(o *provision.Options) (code int, ok bool) {
	if o.Challenge != "dns-01" {
		return 0, true
	}
	o.DNSEnviron = os.Environ()
	if o.DNSProvider != dnschallenge.ManualCode {
		return 0, true
	}
	// A character device is not enough: /dev/null is one. Only a
	// terminal has someone to create the records and press Enter.
	if _, err := unix.IoctlGetTermios(int(os.Stdin.Fd()), unix.TCGETS); err != nil {
		fmt.Fprintln(os.Stderr, "httpsify: "+i18n.T("--dns-provider manual: needs a terminal, to show the TXT records and wait until you have created them; without one, use a DNS provider httpsify can update (httpsify dns-providers). Nothing was changed."))
		return 2, false
	}
	o.DNSAsk = askTXTRecords
	return 0, true
}

// askTXTRecords shows each record's name and value on lines of their
// own, for copying, and returns when the user presses Enter.
func askTXTRecords(ctx context.Context, records []dnschallenge.Record) error {
	w := termtext.Writer(os.Stderr)
	fmt.Fprint(w, i18n.T("\nCreate %s at your DNS host now (all of them: same name, different values, is right):\n", plural(len(records), i18n.T("this TXT record"), i18n.T("these TXT records"))))
	for i, r := range records {
		fmt.Fprintf(w, i18n.T("\n  TXT record %d of %d\n  name:  %s\n  value: %s\n"), i+1, len(records), strings.TrimSuffix(r.Name, "."), r.Value)
	}
	fmt.Fprint(w, i18n.T("\nPress Enter once they are created (httpsify then checks every authoritative server; Ctrl-C gives up). "))
	done := make(chan error, 1)
	go func() {
		_, err := bufio.NewReader(os.Stdin).ReadString('\n')
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
