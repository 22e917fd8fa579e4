package provision

import (
	"context"
	"errors"

	"github.com/httpsify/httpsify/provision/dnschallenge"
	"github.com/httpsify/httpsify/provision/dnschallenge/dnshelper"
)

// findDNSHelper finds the DNS provider helper beside the running
// httpsify; a variable so tests can point at one they built.
var findDNSHelper = dnschallenge.FindHelper

// dnsHelper is how DNS-01 runs lego's providers: in the helper, with the
// environment every child of the engine gets (childEnv) and the run's
// resolvers. Only DNS-01 through a provider calls it, so HTTP-01 and
// manual DNS work without the helper installed.
func dnsHelper(resolvers []string) (dnschallenge.Helper, error) {
	path, err := findDNSHelper()
	if err != nil {
		return dnschallenge.Helper{}, err
	}
	return dnschallenge.Helper{Path: path, Env: childEnv(), Resolvers: resolvers}, nil
}

// openProvider opens the credentials' provider in the helper; lego's
// refusal of the credentials is the credentials field's error.
func openProvider(ctx context.Context, h dnschallenge.Helper, c dnschallenge.Credentials) (dnschallenge.Provider, error) {
	prov, err := dnschallenge.OpenProvider(ctx, h, c)
	var he *dnschallenge.HelperError
	if errors.As(err, &he) && (he.Kind == dnshelper.KindConfig || he.Kind == dnshelper.KindUnknownProvider) {
		return nil, fieldErr(FlagDNSCredentials, err)
	}
	return prov, err
}

// checkProvider builds the provider in the helper and ends it: the
// credentials are checked, nothing is sent.
func checkProvider(ctx context.Context, h dnschallenge.Helper, c dnschallenge.Credentials) error {
	prov, err := openProvider(ctx, h, c)
	if err != nil {
		return err
	}
	return prov.Close()
}
