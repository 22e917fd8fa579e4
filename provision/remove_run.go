package provision

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/atomicfile"
	"github.com/httpsify/httpsify/provision/schedule"
	"github.com/httpsify/httpsify/provision/statedir"
	"github.com/httpsify/httpsify/provision/txn"
)

// Remove carries out rp. Restoring: every file goes back to what it was
// before httpsify's first change of it, as one transaction; nginx -t,
// reload, then a check that the site answers plain HTTP the way it
// answered over HTTPS just before; on any failure after the write every
// file is put back as it was (HTTPS) and nginx reloaded. Keeping: no
// file of the web server is touched. Either way the site's stored
// request and records go (renew and status no longer list it), DNS
// credentials no other site uses are deleted, and the renewal schedule
// goes with the last site it renews.
func (x *Session) Remove(ctx context.Context, rp *RemovePlan) (*RemoveResult, error) {
	ctx = context.WithoutCancel(ctx)
	res := &RemoveResult{Plan: rp}
	if rp.Restore {
		if err := x.restoreSite(ctx, rp, res); err != nil {
			return res, err
		}
	} else if rp.Leaf != nil {
		// Nothing of nginx is touched; say what it serves, as observed.
		c := keptCertificateCheck(ctx, rp)
		res.Checks = append(res.Checks, c)
		kind := KindOK
		if !c.OK {
			kind = KindWarn
		}
		x.Sink.emit(PhaseVerify, kind, "%s", c.Line())
	}
	l := rp.Settings.Layout()
	if err := removeSiteState(l, rp); err != nil {
		return res, i18n.Errorf("the site's files are done, but removing its state: %w", err)
	}
	res.Deleted = rp.Deleted
	for _, d := range rp.Deleted {
		x.Sink.emit(PhaseInstall, KindOK, "deleted %s", d)
	}
	res.Schedule = rp.Schedule
	if rp.RemoveSchedule {
		// Only when, now, no site is left for it to renew.
		left, err := StoredSites(l)
		if err != nil || len(left) > 0 {
			res.Schedule = i18n.T("the renewal schedule stays: other sites were added meanwhile")
		}
		if err == nil && len(left) == 0 {
			r, err := schedule.Remove(schedule.Options{Root: x.scheduleRoot()})
			if err != nil {
				x.Sink.emit(PhaseInstall, KindWarn, "removing the renewal schedule: %v", err)
				res.Schedule = i18n.T("the renewal schedule could not be removed: %s", err.Error())
			} else {
				res.Schedule = r.Summary()
				x.Sink.emit(PhaseInstall, KindOK, "%s", i18n.Tr(res.Schedule))
			}
		}
	}
	for _, n := range rp.Notes {
		x.Sink.emit(PhaseInstall, KindWarn, "%s", n)
	}
	return res, nil
}

// restoreSite swaps the originals in, checks, reloads and verifies.
func (x *Session) restoreSite(ctx context.Context, rp *RemovePlan, res *RemoveResult) error {
	s, sink := rp.Settings, x.Sink
	d, err := x.Detect(ctx)
	if err != nil {
		return err
	}
	p := &Plan{Settings: s, Detection: d, ArchiveDir: s.Layout().Archive(s.Primary()), App: s.Upstream}
	// How the site answers now (over https, following its own redirect):
	// plain http must answer the same afterwards.
	before := RecordBehaviour(ctx, s, d.Server.Probes(d, s))
	// The plan may be older than a confirmation: a file edited since is
	// still never overwritten.
	for _, f := range rp.Files {
		if _, err := txn.Original(s.StateDir, f.Undo.Path, f.changes); err != nil {
			var since *txn.EditedSinceError
			var between *txn.EditedBetweenError
			if errors.As(err, &since) || errors.As(err, &between) {
				return &RestoreEditedError{Site: s.Primary(), Path: f.Undo.Path, Err: err}
			}
			return &RestoreUnavailableError{Site: s.Primary(), Why: err.Error()}
		}
	}
	changes := make([]FileChange, 0, len(rp.Files))
	for _, f := range rp.Files {
		why := i18n.T("as it was before httpsify")
		if !f.Existed {
			why = i18n.T("httpsify made it; it goes")
		}
		changes = append(changes, FileChange{Change: f.Undo.Change, Role: f.Role, Shown: f.Undo.Path, Existed: true, Why: why})
	}
	sink.emit(PhaseWrite, KindStart, "restoring %s as they were before httpsify", count(len(changes), i18n.N("file"), i18n.N("files")))
	tx, err := x.commit(ctx, p, changes)
	if err != nil {
		return err
	}
	for _, c := range changes {
		res.Changed = append(res.Changed, c.Path)
	}
	sink.emit(PhaseVerify, KindStart, "checking that the site answers plain HTTP as it answered HTTPS")
	res.Checks = verifyRestored(ctx, s, before, cmp.Or(x.VerifyWait, 10*time.Second))
	failed := false
	for _, c := range res.Checks {
		kind := KindOK
		switch {
		case c.Warn:
			kind = KindWarn
		case !c.OK:
			kind, failed = KindFail, true
		}
		sink.emit(PhaseVerify, kind, "%s", c.Line())
	}
	if failed {
		x.undo(ctx, p, tx)
		return &VerifyError{Checks: res.Checks}
	}
	res.BackupDir = tx.BackupDir
	doneOrWarn(tx, sink)
	sink.emit(PhaseVerify, KindOK, "%s answers plain HTTP as before httpsify", "http://"+s.Primary()+"/")
	return nil
}

// keptCertificateCheck: does https still serve the site's certificate?
// Only reported (keep mode changes nothing): a warning when it does not.
func keptCertificateCheck(ctx context.Context, rp *RemovePlan) Check {
	s := rp.Settings
	c := Check{Name: i18n.T("https serves %s's certificate, unchanged", s.Primary())}
	leaf, _, err := servedChain(ctx, net.JoinHostPort("127.0.0.1", strconv.Itoa(s.HTTPSPort)), s.Primary(), 0, 0)
	switch {
	case err != nil:
		c.Warn, c.Info = true, i18n.T("no TLS answer: %s", err.Error())
	case !leaf.Equal(rp.Leaf):
		c.Warn, c.Info = true, i18n.T("another certificate is served (serial %s)", leaf.SerialNumber.Text(16))
	default:
		c.OK, c.Info = true, i18n.T("valid until %s", leaf.NotAfter.UTC().Format("2006-01-02"))
	}
	return c
}

// verifyRestored asks each probe over plain http, retrying while the
// reload settles, until every answer matches or timeout passes.
func verifyRestored(ctx context.Context, s *Settings, before Behaviour, timeout time.Duration) []Check {
	deadline := time.Now().Add(timeout)
	for {
		checks := restoredChecks(ctx, s, before)
		if allOK(checks) || time.Now().After(deadline) {
			return checks
		}
		select {
		case <-ctx.Done():
			return checks
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func restoredChecks(ctx context.Context, s *Settings, before Behaviour) []Check {
	var checks []Check
	reached := false
	for _, b := range before {
		if !b.Reached {
			continue
		}
		reached = true
		a := fetch(ctx, s, "http", b.Probe)
		c := sameAnswer(b, a)
		c.Name = i18n.T("http answers %s as https did", b.Path)
		if a.Reached && isRedirect(a.Status) && a.toHTTPS {
			c.OK, c.Warn = false, false
			c.Info = i18n.T("still redirects to https: %s", describe(a))
		}
		checks = append(checks, c)
	}
	if !reached {
		// Nothing answered before: at least the site must answer now.
		a := fetch(ctx, s, "http", Probe{Path: "/"})
		c := Check{Name: i18n.T("http answers /"), OK: a.Reached && !(isRedirect(a.Status) && a.toHTTPS)}
		if a.Reached {
			c.Info = describe(a)
		} else {
			c.Info = a.Err
		}
		checks = append(checks, c)
	}
	return checks
}

// removeSiteState deletes the site's state. The stored request goes
// last: a removal cut short is still listed, and can be run again.
func removeSiteState(l statedir.Layout, rp *RemovePlan) error {
	primary := rp.Settings.Primary()
	if err := dropRenewRecord(l, primary); err != nil {
		return err
	}
	var last []string
	for _, d := range rp.Deleted {
		switch d {
		case l.Request(primary), rp.CertVersions:
			last = append(last, d)
			continue
		}
		if err := os.Remove(d); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	for _, d := range last {
		if d == rp.CertVersions {
			// Its request first, so a half-deleted directory is no site.
			if err := os.Remove(l.Request(primary)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			if err := removeArchive(l, d); err != nil {
				return err
			}
			continue
		}
		if err := os.Remove(d); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// removeArchive deletes a site's certificate directory, which must be a
// real directory right under the state dir's archive.
func removeArchive(l statedir.Layout, dir string) error {
	if filepath.Dir(dir) != l.ArchiveRoot() {
		return fmt.Errorf("%s is not a site's certificate directory", dir)
	}
	fi, err := os.Lstat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory; left as it is", dir)
	}
	return os.RemoveAll(dir)
}

// dropRenewRecord takes the site out of renewals.json.
func dropRenewRecord(l statedir.Layout, primary string) error {
	recs, err := LoadRenewRecords(l)
	if err != nil {
		return err
	}
	if _, ok := recs[primary]; !ok {
		return nil
	}
	delete(recs, primary)
	b, err := json.MarshalIndent(renewalsFile{Version: renewalsVersion, Sites: recs}, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(l.Renewals(), append(b, '\n'), 0o600)
}
