package provision

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/httpsify/httpsify/provision/dnschallenge"
	"github.com/httpsify/httpsify/provision/trustdir"
)

// useHelperFor makes the engine look for the helper as the httpsify
// binary at root/bin/httpsify would.
func useHelperFor(t *testing.T, root string) {
	t.Helper()
	old := findDNSHelper
	findDNSHelper = func() (string, error) { return dnschallenge.FindHelperFor(filepath.Join(root, "bin", "httpsify")) }
	t.Cleanup(func() { findDNSHelper = old })
}

var rfc2136Form = map[string]string{"DNSUPDATE_NAMESERVER": "127.0.0.1:5353", "DNSUPDATE_TSIG_KEY": "k", "DNSUPDATE_TSIG_SECRET": "c2VjcmV0LXRzaWcta2V5LXZhbHVl"}

// A helper another user could have replaced is refused and never run:
// here a script that would leave a mark, group-writable beside httpsify.
// The same script, once only root can write it, is run (and, not being
// the helper, ends without answering): the mark is a real witness.
func TestDNSHelperWritableByOthersIsNotRun(t *testing.T) {
	root := t.TempDir()
	mark := filepath.Join(root, "ran")
	helper := filepath.Join(root, "bin", dnschallenge.HelperName)
	if err := os.MkdirAll(filepath.Dir(helper), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(helper, []byte("#!/bin/sh\ntouch "+mark+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(helper, 0o775)
	useHelperFor(t, root)

	err := CheckDNSCredentials("rfc2136", rfc2136Form, []string{"127.0.0.1:1"}, []string{"example.test"})
	var te *trustdir.Error
	if !errors.As(err, &te) {
		t.Fatalf("group-writable helper: %v, want a trustdir.Error", err)
	}
	if _, err := os.Stat(mark); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the refused helper was run")
	}

	os.Chmod(helper, 0o755)
	err = CheckDNSCredentials("rfc2136", rfc2136Form, []string{"127.0.0.1:1"}, []string{"example.test"})
	var xe *dnschallenge.HelperExitedError
	if !errors.As(err, &xe) {
		t.Errorf("a helper that does not answer: %v, want HelperExitedError", err)
	}
	if _, err := os.Stat(mark); err != nil {
		t.Errorf("the trusted script was not run: %v", err)
	}
}

// Without the helper, DNS-01 through a provider is refused with the
// typed error that says what to install, at plan time and at the
// wizard's credentials check; manual DNS plans without it.
func TestDNSHelperMissingOnlyForProviders(t *testing.T) {
	useHelperFor(t, t.TempDir())
	var me *dnschallenge.HelperMissingError
	err := CheckDNSCredentials("rfc2136", rfc2136Form, []string{"127.0.0.1:1"}, []string{"example.test"})
	if !errors.As(err, &me) {
		t.Errorf("credentials check: %v, want HelperMissingError", err)
	}

	o := Options{Domains: []string{"example.test"}, StateDir: t.TempDir(), Challenge: "dns-01",
		DNSProvider: "rfc2136", DNSEnviron: rfc2136Values, DNSResolvers: []string{"127.0.0.1:1"}}
	s, err := o.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if err := (&DNS01{}).Plan(&Plan{Settings: s}); !errors.As(err, &me) {
		t.Errorf("plan through rfc2136: %v, want HelperMissingError", err)
	}

	o.DNSProvider, o.DNSEnviron = "manual", nil
	o.DNSAsk = func(context.Context, []dnschallenge.Record) error { return nil }
	if s, err = o.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (&DNS01{}).Plan(&Plan{Settings: s}); err != nil {
		t.Errorf("manual DNS needs no helper: %v", err)
	}
}
