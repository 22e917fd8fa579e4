// Package certstore keeps installed certificates as immutable versions so
// a cert/key pair is never half-written:
//
//	<archiveDir>/<version>/{cert,chain,fullchain}.pem (0644), privkey.pem (0600)
//	<liveDir> -> <archiveDir>/<version>   (symlink; nginx reads through it)
//
// A version directory is written under a hidden staging name and renamed
// into place complete. The live symlink is switched by the engine with a
// txn.Change (see LiveChange) so it commits and rolls back together with
// the nginx configuration.
//
// Private key bytes never appear in errors: key parsing errors are replaced
// by fixed messages.
package certstore
