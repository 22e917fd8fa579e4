package provision

import (
	"context"
	"errors"

	"github.com/httpsify/httpsify/provision/acme"
)

// connectCA reaches the site's CA with its account. acme's typed errors
// become the engine's: a refused --ca-root or unagreed terms name their
// flag; an unreachable CA or a refused account is an IssueError.
func connectCA(ctx context.Context, s *Settings) (*acme.Client, error) {
	c, err := acme.Connect(ctx, acme.Config{
		Directory: s.CADirectory, CARoot: s.CARoot, StateDir: s.StateDir,
		Email: s.Email, AgreeTOS: s.AgreeTOS, EABKid: s.EABKid, EABHMAC: s.EABHMAC, KeyType: s.KeyType,
	})
	return c, engineError(err)
}

func engineError(err error) error {
	var cr *acme.CARootError
	var te *acme.TermsError
	var ue *acme.UnreachableError
	var re *acme.RegisterError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &cr):
		return fieldErr(FlagCARoot, cr.Err)
	case errors.As(err, &te):
		return fieldErr(FlagAgreeTOS, te)
	case errors.As(err, &ue):
		return &IssueError{Cause: CauseCAUnreachable, Err: err}
	case errors.As(err, &re):
		return &IssueError{Cause: CauseAccount, FromCA: true, Err: err}
	}
	return err
}

// TermsURL fetches the CA's terms of service URL (for the wizard).
func TermsURL(ctx context.Context, s *Settings) (string, error) {
	u, err := acme.TermsURL(ctx, s.CADirectory, s.CARoot)
	return u, engineError(err)
}

// routeLegoLog sends lego's log into the run's events until the returned
// func is called.
func routeLegoLog(sink Sink) func() {
	return acme.RouteLog(func(line string) { sink.emit(PhaseIssue, KindLog, "%s", line) })
}
