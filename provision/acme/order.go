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
