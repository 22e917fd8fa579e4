// Package statedir owns the layout of httpsify's state directory: every
// path under it is built here, and nowhere else.
//
//	<root>/lock                          the run lock
//	<root>/txn/<id>.json                 transaction journals
//	<root>/backups/<id>/...              originals of changed files
//	<root>/accounts/<ca>-<hash>/<email>/ ACME accounts (key.pem, account.json)
//	<root>/archive/<primary>/<version>/  certificate versions
//	<root>/archive/<primary>/request.json the site's stored request
//	<root>/live/<primary>                link to the installed version
//	<root>/staged/<primary>.json         a version issued but not installed
package statedir

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"path/filepath"
)

// Layout is a state directory.
type Layout string

// Root is the state directory itself.
func (l Layout) Root() string { return string(l) }

// Lock is the file the run lock is held on.
func (l Layout) Lock() string { return filepath.Join(string(l), "lock") }

// Journals holds the transaction journals.
func (l Layout) Journals() string { return filepath.Join(string(l), "txn") }

// Journal is one transaction's journal.
func (l Layout) Journal(id string) string { return filepath.Join(l.Journals(), id+".json") }

// Backups holds the originals of every changed file, one directory a run.
func (l Layout) Backups() string { return filepath.Join(string(l), "backups") }

// Backup is one transaction's backup directory.
func (l Layout) Backup(id string) string { return filepath.Join(l.Backups(), id) }

// Account is the directory of the account for one CA directory URL and
// email: accounts/<ca-host>-<hash>/<email>.
func (l Layout) Account(directory, email string) string {
	h := sha256.Sum256([]byte(directory))
	host := "ca"
	if u, err := url.Parse(directory); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	if email == "" {
		email = "no-email"
	}
	return filepath.Join(string(l), "accounts", host+"-"+hex.EncodeToString(h[:4]), email)
}

// ArchiveRoot holds every site's certificate versions.
func (l Layout) ArchiveRoot() string { return filepath.Join(string(l), "archive") }

// Archive holds one site's certificate versions.
func (l Layout) Archive(primary string) string { return filepath.Join(l.ArchiveRoot(), primary) }

// Request is the site's stored request, beside its certificates.
func (l Layout) Request(primary string) string {
	return filepath.Join(l.Archive(primary), "request.json")
}

// LiveRoot holds the links to the installed versions.
func (l Layout) LiveRoot() string { return filepath.Join(string(l), "live") }

// Live is the default install location of a site's certificate.
func (l Layout) Live(primary string) string { return filepath.Join(l.LiveRoot(), primary) }

// Staged notes a version issued but never installed.
func (l Layout) Staged(primary string) string {
	return filepath.Join(string(l), "staged", primary+".json")
}

// RenewalInfo holds the CA's cached renewal information (ARI) answers
// (renew, issue 10).
func (l Layout) RenewalInfo() string { return filepath.Join(string(l), "renewal-info") }

// Renewals is the record of the last renew run, per site (renew, issue 10).
func (l Layout) Renewals() string { return filepath.Join(string(l), "renewals.json") }
