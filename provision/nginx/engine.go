package nginx

import (
	"github.com/httpsify/httpsify/provision"
)

// The engine's types, under the names this package's planning code has
// always used.
type (
	Settings   = provision.Settings
	Plan       = provision.Plan
	FileChange = provision.FileChange
	Sink       = provision.Sink
	Probe      = provision.Probe
	CheckError = provision.CheckError
	TLSProfile = provision.TLSProfile
)

const acmePath = provision.ChallengePath

var (
	count   = provision.Count
	command = provision.Command
)

func fieldErr(field string, err error) error { return &provision.FieldError{Field: field, Err: err} }
