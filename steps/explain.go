package steps

import (
	"context"
	"errors"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
)

// advice is a failure in plain words: what happened and what to do.
type advice struct{ What, Next string }

// explainIssue turns an issuance error into advice. The CA's own message
// is always shown as well, below it.
func explainIssue(err error, s *provision.Settings) advice {
	port := s.HTTPPort
	var fe *provision.FieldError
	var ie *provision.IssueError
	cause := provision.CauseOther
	if errors.As(err, &ie) {
		cause = ie.Cause
	}
	switch {
	case errors.Is(err, context.Canceled) || cause == provision.CauseCancelled:
		return advice{i18n.T("Cancelled."), i18n.T("No certificate was issued and nothing was changed. Press enter to try again, or esc to go back.")}
	case errors.As(err, &fe) && fe.Field == provision.FlagAgreeTOS:
		return advice{i18n.T("The CA requires that you accept its terms of service."), i18n.T("Press esc, and answer yes to the terms question.")}
	case errors.As(err, &fe) && fe.Field == provision.FlagCARoot:
		return advice{i18n.T("httpsify could not reach the CA."), i18n.T("Check this server's outbound network and DNS, and the CA's directory URL.")}
	}
	switch cause {
	case provision.CauseRateLimited:
		return advice{i18n.T("The CA's rate limit was reached."), i18n.T("Too many certificates were requested for these names or from this server recently. Wait before trying again (the CA's message says until when), and use Let's Encrypt staging for tests.")}
	case provision.CauseChallengeUnserved:
		return advice{i18n.T("nginx did not serve the test file on port %d.", port), "httpsify fetched a test file through nginx on this machine and did not get it back. Look for a rule in the site that catches /.well-known/ first (a redirect, a deny, a try_files), or another program on the port, then press enter to try again."}
	case provision.CauseConnection:
		return advice{i18n.T("The CA could not connect to this server on port %d.", port), i18n.T("Open port %d in the firewall (and in any cloud security group), and check that the names' A/AAAA records point to this server's public address.", port)}
	case provision.CauseDNS:
		return advice{i18n.T("The CA could not find the names in DNS."), i18n.T("Create an A record (and AAAA for IPv6) for each name, pointing to this server's public address. New records can take a while to be visible everywhere.")}
	case provision.CauseUnauthorized:
		return advice{i18n.T("The CA reached a server at this name, but it did not answer the challenge."), i18n.T("The names' DNS may point to another server, a CDN or an old address. Point them at this server (or pause the CDN proxy), then try again.")}
	case provision.CauseRejected:
		return advice{i18n.T("The CA will not issue a certificate for these names."), i18n.T("Some names (reserved or blocked ones, like example.com) can never get a certificate from a public CA. Check the names.")}
	case provision.CauseAccount:
		return advice{i18n.T("The CA refused to create an account."), i18n.T("Check the email address (some CAs reject addresses at example domains), then try again.")}
	case provision.CauseCAUnreachable:
		return advice{i18n.T("httpsify could not reach the CA."), i18n.T("Check this server's outbound network and DNS, and the CA's directory URL.")}
	}
	return advice{i18n.T("The certificate could not be issued."), i18n.T("Read the message below, fix what it names, and press enter to try again.")}
}
