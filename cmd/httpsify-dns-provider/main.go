// Command httpsify-dns-provider is httpsify's DNS provider helper: it runs
// one of lego's DNS providers for httpsify, which starts it, speaks the
// dnshelper protocol on its stdin and stdout, and closes its stdin when
// done. It lives apart so that httpsify itself does not link (and
// initialise, on every start) every provider lego has. It is not meant to
// be run by hand.
package main

import (
	"fmt"
	"os"

	"github.com/go-acme/lego/v4/providers/dns"

	"github.com/httpsify/httpsify/assets/dnsproviders"
	"github.com/httpsify/httpsify/provision/dnschallenge/dnshelper"
)

func main() {
	if len(os.Args) > 1 {
		fmt.Fprintln(os.Stderr, "httpsify-dns-provider is started by httpsify (DNS-01 through a provider); it takes no arguments")
		os.Exit(2)
	}
	// The protocol owns stdout: anything a provider prints goes to stderr.
	proto := os.Stdout
	os.Stdout = os.Stderr
	if err := dnshelper.Serve(os.Stdin, proto, known, dns.NewDNSChallengeProviderByName); err != nil {
		fmt.Fprintln(os.Stderr, "httpsify-dns-provider:", err)
		os.Exit(1)
	}
}

// known: the catalog's codes (aliases too), except lego's manual
// provider, which would read this helper's stdin.
func known(code string) bool {
	p, ok := dnsproviders.ByCode(code)
	return ok && p.Code == code && code != "manual"
}
