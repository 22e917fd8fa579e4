package dnschallenge

import "github.com/go-acme/lego/v4/providers/dns"

// Every provider lego has, by code. This import is what puts all of them
// in the binary (see the size note in the package's commit message).
func init() { legoProvider = dns.NewDNSChallengeProviderByName }
