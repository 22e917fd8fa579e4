package main

import (
	"errors"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/txn"
)

// failRefused reports err; rollback's and remove's refusals — no such
// site, nothing to roll back to, a file edited since httpsify changed it,
// a restore that cannot be done safely — come before anything is written
// and exit 2 like bad input.
func failRefused(out *printer, err error) int {
	var nothing *provision.NothingToRollBackError
	var nm *provision.NotManagedError
	var edited *txn.EditedSinceError
	var restoreEdited *provision.RestoreEditedError
	var unavailable *provision.RestoreUnavailableError
	if errors.As(err, &nothing) || errors.As(err, &nm) || errors.As(err, &edited) ||
		errors.As(err, &restoreEdited) || errors.As(err, &unavailable) {
		out.fail(err)
		return 2
	}
	return out.fail(err)
}
