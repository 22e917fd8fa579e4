package dnschallenge_test

import (
	"context"
	"fmt"
	"os"

	"github.com/go-acme/lego/v4/lego"

	"github.com/httpsify/httpsify/provision/dnschallenge"
)

// How the engine's Challenge seam drives the package for `httpsify apply
// --challenge dns-01 --dns-provider CODE --dns-credentials FILE
// --dns-resolver HOST:PORT` (compiled, not run).
func Example() {
	ctx := context.Background()
	var client *lego.Client // from the ACME package
	events := func(e dnschallenge.Event) { fmt.Println(e.Kind, e.Record.Name, e.Server, e.Seen) }

	creds, err := dnschallenge.ReadCredentialsFile("alidns", "/root/alidns.env")
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // names the line or variable, never a value
		return
	}
	if _, err := dnschallenge.SaveCredentials("/var/lib/httpsify", creds); err != nil { // for renewals
		return
	}
	helper, err := dnschallenge.FindHelper() // beside httpsify, or in ../lib/httpsify
	if err != nil {
		return // *HelperMissingError: says what to install
	}
	provider, err := dnschallenge.OpenProvider(ctx, dnschallenge.Helper{Path: helper, Env: []string{"PATH=/usr/bin:/bin"}, Resolvers: []string{"223.5.5.5:53"}}, creds)
	if err != nil {
		return
	}
	defer provider.Close()
	prop := &dnschallenge.Propagation{Resolvers: []string{"223.5.5.5:53"}, OnEvent: events}
	wrapped, opts, err := prop.Setup(ctx, provider)
	if err != nil {
		return
	}
	_ = client.Challenge.SetDNS01Provider(wrapped, opts...)
	// ... client.Certificate.Obtain(...) as for HTTP-01.

	// Manual mode instead: the UI shows the records and returns on "go".
	manual := dnschallenge.NewManual(ctx, func(ctx context.Context, records []dnschallenge.Record) error {
		for _, r := range records {
			fmt.Printf("%s TXT %q\n", r.Name, r.Value)
		}
		return nil // after the user's go-ahead
	}, events)
	wrapped, opts, _ = prop.Setup(ctx, manual)
	_ = client.Challenge.SetDNS01Provider(wrapped, opts...)
}
