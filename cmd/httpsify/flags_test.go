package main

import (
	"os"
	"testing"

	"github.com/httpsify/httpsify/provision"
)

// The EAB HMAC is read once and leaves the environment, so nothing
// httpsify starts can inherit it.
func TestSecretsFromEnvUnsetsTheHMAC(t *testing.T) {
	t.Setenv(eabHMACEnv, "c2VjcmV0")
	var o provision.Options
	secretsFromEnv(&o)
	if o.EABHMAC != "c2VjcmV0" {
		t.Fatalf("HMAC not read: %q", o.EABHMAC)
	}
	if v, ok := os.LookupEnv(eabHMACEnv); ok {
		t.Fatalf("%s still set to %q", eabHMACEnv, v)
	}
}
