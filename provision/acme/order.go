package acme

import (
	"errors"
	"fmt"

	legoacme "github.com/go-acme/lego/v4/acme"
)

// Order is one certificate order.
type Order struct {
	Domains []string
	// Profile is the CA's ACME profile (e.g. Let's Encrypt's
	// "shortlived"); "" lets the CA choose.
	Profile string
	// ReplacesCertID names the certificate this order replaces (ARI): a
	// CA may then exempt it from rate limits. Only for the same account.
	ReplacesCertID string
}

// ProfileError: the CA refused the order's profile (it does not offer it).
type ProfileError struct {
	Profile string
	Err     error
}

func (e *ProfileError) Error() string {
	return fmt.Sprintf("the CA does not offer the profile %q: %v", e.Profile, e.Err)
}
func (e *ProfileError) Unwrap() error { return e.Err }

// invalidProfile is RFC 8555 profiles' error type for an unknown profile.
const invalidProfile = "urn:ietf:params:acme:error:invalidProfile"

func isInvalidProfile(err error) bool {
	var pd *legoacme.ProblemDetails
	if errors.As(err, &pd) {
		if pd.Type == invalidProfile {
			return true
		}
		for _, sub := range pd.SubProblems {
			if sub.Type == invalidProfile {
				return true
			}
		}
	}
	return false
}

// replacementRefused: the CA refused the order's "replaces" as another
// account's certificate (the email, and so the account, changed since).
// lego itself already orders again without it when the CA answers
// alreadyReplaced (RFC 9773), e.g. after a renewal whose deploy failed.
func replacementRefused(err error) bool {
	var pd *legoacme.ProblemDetails
	return errors.As(err, &pd) && pd.Type == unauthorized
}

// unauthorized is RFC 8555's; Pebble and Boulder send it for a
// replacement of another account's certificate.
const unauthorized = "urn:ietf:params:acme:error:unauthorized"
