// Package txn applies a set of file changes (write, remove, symlink) as one
// journaled transaction that can be rolled back byte for byte, including
// after the process died half-way (see Recover).
//
// Life cycle: Begin (validate, back up, journal, stage) → Commit (renames) →
// Done, or Rollback/Abandon. Nothing a reader such as nginx can see changes
// before Commit, and every target is only ever replaced by rename(2), so a
// target is always either its old or its new content, never a mix.
//
// Staged and restore temp files live next to their target (same filesystem,
// so rename is atomic) and are named ".<base>.httpsify-<random>". nginx
// expands include globs with glob(3) and flags 0 (no GLOB_PERIOD), and
// glob(3) never lets '*', '?' or '[...]' match a leading '.', so neither
// "include conf.d/*.conf;" nor "include sites-enabled/*;" picks them up; the
// name also never ends in ".conf". Note that Go's filepath.Match does let
// '*' match a leading dot, so Go code listing these directories must skip
// dot files itself.
//
// A Tx is not safe for concurrent use, and only one transaction should run
// at a time on a machine: hold provision/lock around Recover, Begin and the
// rest.
package txn
