package dnschallenge

import (
	"context"
	"testing"

	"github.com/go-acme/lego/v4/challenge/dns01"
	"github.com/go-acme/lego/v4/providers/dns/rfc2136"
)

// BenchmarkWildcardAndApexRFC2136 times a wildcard + apex certificate
// through rfc2136 on the sandbox's BIND and Pebble (run with
// -benchtime=1x: one issuance takes seconds, lego's defaults over a minute):
//
//   - dnschallenge: this package (0 s sequence interval, its own pre-check).
//   - lego-cli-defaults: what `lego --dns rfc2136 --dns.resolvers BIND
//     --dns.propagation-disable-ans` does (the zone's NS is not on port 53
//     here, so lego's authoritative check has to be off): lego's provider
//     from the environment with its defaults, 60 s sequence interval.
//   - lego-cli-sequence-0: the same with DNSUPDATE_SEQUENCE_INTERVAL=0.
//
// Measured on the 2-core dev machine (2026-12-01, -count=3): dnschallenge
// 0.86 / 5.0 / 7.7 s, lego-cli-defaults 68.0 / 64.2 / 69.5 s,
// lego-cli-sequence-0 11.7 / 16.1 / 18.8 s. The spread within a row is
// Pebble's 3 s Retry-After: when its validation has not finished by lego's
// first poll of the authorization, lego waits 3 s more.
func BenchmarkWildcardAndApexRFC2136(b *testing.B) {
	s := startBIND(b)
	captureLegoLog(b)
	b.Run("dnschallenge", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			c := legoClient(b, s)
			prov, err := OpenProvider(context.Background(), testHelper(b, s.BIND.Addr), sandboxCredentials(b, s))
			if err != nil {
				b.Fatal(err)
			}
			defer prov.Close()
			wrapped, opts, err := propagationFor(s, &eventLog{}).Setup(context.Background(), prov)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			obtain(b, c, wrapped, opts, wildcardAndApex...)
		}
	})
	legoCLI := func(sequence string) func(b *testing.B) {
		return func(b *testing.B) {
			b.Setenv("DNSUPDATE_NAMESERVER", s.BIND.Addr)
			b.Setenv("DNSUPDATE_TSIG_KEY", s.BIND.KeyName)
			b.Setenv("DNSUPDATE_TSIG_ALGORITHM", s.BIND.KeyAlgorithm)
			b.Setenv("DNSUPDATE_TSIG_SECRET", s.BIND.KeySecret)
			if sequence != "" {
				b.Setenv("DNSUPDATE_SEQUENCE_INTERVAL", sequence)
			}
			for b.Loop() {
				b.StopTimer()
				c := legoClient(b, s)
				prov, err := rfc2136.NewDNSProvider()
				if err != nil {
					b.Fatal(err)
				}
				opts := []dns01.ChallengeOption{
					dns01.AddRecursiveNameservers([]string{s.BIND.Addr}),
					dns01.DisableAuthoritativeNssPropagationRequirement(),
				}
				b.StartTimer()
				obtain(b, c, prov, opts, wildcardAndApex...)
			}
		}
	}
	b.Run("lego-cli-defaults", legoCLI(""))
	b.Run("lego-cli-sequence-0", legoCLI("0"))
}
