package nginx

import (
	"context"

	"github.com/httpsify/httpsify/provision"
)

// The engine's API under the names these tests were written with, when
// they lived in the engine's package.
type (
	Options    = provision.Options
	Issued     = provision.Issued
	FieldError = provision.FieldError
	Host       = provision.Host
	Request    = provision.Request
)

var (
	CheckApp      = provision.CheckApp
	Profiles      = provision.Profiles
	deployChanges = provision.DeployChanges
)

// BuildPlan plans through the engine, as apply does.
func BuildPlan(d *Detection, s *Settings) (*Plan, error) { return provision.BuildPlan(d.Detection, s) }

// Detect detects through the seam and returns nginx's own view.
func Detect(ctx context.Context, s *Settings, sink Sink) (*Detection, error) {
	d, err := Server{}.Detect(ctx, &s.Host, sink)
	if err != nil {
		return nil, err
	}
	return of(d), nil
}
