package main

import (
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/httpsify/httpsify/provision"
)

func TestGate(t *testing.T) {
	argv := []string{"httpsify", "--nginx-conf", "/etc/nginx/nginx.conf"}
	msg, code := gate(env{root: false, stdinTTY: true, stdoutTTY: true, argv: argv}, false)
	if code != 1 || !strings.Contains(msg, "httpsify needs root") || !strings.Contains(msg, "sudo httpsify --nginx-conf /etc/nginx/nginx.conf") {
		t.Fatalf("not root: %d %q", code, msg)
	}
	for _, e := range []env{{root: true, stdinTTY: false, stdoutTTY: true}, {root: true, stdinTTY: true, stdoutTTY: false}} {
		msg, code = gate(e, false)
		if code != 2 || msg != noTTYMessage {
			t.Fatalf("no tty %+v: %d %q", e, code, msg)
		}
	}
	if _, code = gate(env{root: true}, true); code != 0 {
		t.Fatalf("accessible mode needs no tty, got %d", code)
	}
	if _, code = gate(env{root: true, stdinTTY: true, stdoutTTY: true}, false); code != 0 {
		t.Fatalf("refused a root terminal: %d", code)
	}
}

// The apply line the summary prints makes exactly the settings the
// wizard used: parsed back through apply's own flags, nothing differs.
func TestApplyArgsRoundTrip(t *testing.T) {
	for _, o := range []provision.Options{
		{Domains: []string{"example.org", "www.example.org"}, Upstream: "127.0.0.1:8000", Email: "me@example.org", AgreeTOS: true},
		{Domains: []string{"shop.example.org"}, Upstream: "unix:/srv/shop/app.sock", AgreeTOS: true,
			CA: "https://127.0.0.1:14000/dir", CARoot: "/tmp/pebble/ca.pem", KeyType: "rsa2048",
			CertDir: "/etc/ssl/shop", TLSProfile: "modern", HSTS: true, NoHTTP2: true, ClientMaxBodySize: "20m",
			NginxConf: "/opt/nginx/nginx.conf", NginxBin: "/opt/nginx/sbin/nginx", HTTPPort: 8080, HTTPSPort: 8443, StateDir: "/var/lib/httpsify"},
		{Domains: []string{"z.example.org"}, CA: "zerossl", EABKid: "kid123", EABHMAC: "secret", AgreeTOS: true},
		{Domains: []string{"s.example.org"}, CA: "letsencrypt-staging"},
	} {
		want, err := o.Validate()
		if err != nil {
			t.Fatal(err)
		}
		args := want.ApplyArgs()
		if args[0] != "apply" || args[len(args)-1] != "--yes" {
			t.Fatalf("args %q", args)
		}
		fs := pflag.NewFlagSet("apply", pflag.ContinueOnError)
		var back provision.Options
		optionFlags(fs, &back)
		new(applyFlags).register(fs)
		if err := fs.Parse(args[1:]); err != nil {
			t.Fatal(err)
		}
		if back.EABHMAC == provision.EABPlaceholder {
			back.EABHMAC = o.EABHMAC // the secret is never printed
		}
		got, err := back.Validate()
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s\n got %+v\nwant %+v", want.ApplyCommand(), got, want)
		}
		if strings.Contains(want.ApplyCommand(), "secret") {
			t.Errorf("the EAB key is printed: %s", want.ApplyCommand())
		}
	}
}

func TestRunRoutesToWizard(t *testing.T) {
	// A bare word that is not a subcommand is refused, not taken as flags.
	if code := run([]string{"appyl"}, io.Discard, io.Discard); code != 2 {
		t.Fatalf("code %d", code)
	}
}
