package provision

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/statedir"
	"github.com/httpsify/httpsify/provision/txn"
)

// NothingToRollBackError: the site has no earlier state to go back to
// (its last change was its first install, or no change is on record).
type NothingToRollBackError struct {
	Site string
	Why  string
}

func (e *NothingToRollBackError) Error() string {
	return i18n.T("nothing to roll back for %s: %s; nothing was changed", e.Site, i18n.Tr(e.Why))
}

// RollbackPlan is what a rollback will do to one site.
type RollbackPlan struct {
	Settings *Settings
	// Change is the transaction being taken back.
	Change string
	// Undo are its targets as they were before it.
	Undo []txn.Undo
	// VersionDir is the certificate version served afterwards; Leaf is
	// its certificate.
	VersionDir string
	Issued     *Issued
}

// PlanRollback finds the site's last change and what taking it back
// means. It writes nothing. A change whose certificate link did not exist
// before (the site's first install) is refused: there is no earlier
// certificate to go back to.
func (x *Session) PlanRollback(primary string) (*RollbackPlan, error) {
	l := statedir.Layout(x.Host.StateDir)
	req, err := LoadRequest(l, primary)
	if errors.Is(err, ErrNoRequest) {
		return nil, &NotManagedError{Name: primary}
	}
	if err != nil {
		return nil, err
	}
	s := &Settings{Host: *x.Host, Request: *req}
	nothing := func(why string) (*RollbackPlan, error) {
		return nil, &NothingToRollBackError{Site: primary, Why: why}
	}
	rec, err := LoadSiteRecord(l, primary)
	if err != nil {
		return nil, err
	}
	id := ""
	if rec != nil {
		id = rec.Change
	}
	if id == "" {
		// A state from before runs were recorded: the newest finished
		// change of the certificate link.
		if id, err = txn.LastDone(s.StateDir, s.CertDir); err != nil {
			return nil, err
		}
	}
	if id == "" {
		return nothing(i18n.N("no change of it is on record"))
	}
	undo, err := txn.Reverse(s.StateDir, id)
	var notDone *txn.NotDoneError
	if errors.As(err, &notDone) {
		return nothing(i18n.N("its last change was already undone"))
	}
	if err != nil {
		return nil, err
	}
	rp := &RollbackPlan{Settings: s, Change: id, Undo: undo}
	rp.VersionDir, err = certstore.Current(s.CertDir)
	if err != nil {
		return nil, err
	}
	for _, u := range undo {
		if u.Path != s.CertDir {
			continue
		}
		if !u.Existed {
			return nothing(i18n.N("its last change was its first certificate, and there is no earlier one"))
		}
		// The version must still be whole (old versions are pruned).
		if _, err := certstore.LiveChange(s.CertDir, u.OldLink); err != nil {
			return nothing(fmt.Sprintf("the previous certificate is gone (%v)", err))
		}
		rp.VersionDir = u.OldLink
	}
	if err := certstore.CheckOwnLink(s.CertDir, l.ArchiveRoot()); err != nil {
		return nil, fieldErr(FlagCertDir, err)
	}
	leaf, n, err := certstore.ReadVersion(rp.VersionDir)
	if err != nil {
		return nil, err
	}
	rp.Issued = &Issued{VersionDir: rp.VersionDir, Leaf: leaf, ChainLen: n}
	return rp, nil
}

// Rollback takes the site's last change back as one transaction: the
// certificate link to the previous version and every file as it was
// before, then nginx -t, reload, and a check that the site serves the
// restored certificate. Any failure restores what was there and reloads.
func (x *Session) Rollback(ctx context.Context, rp *RollbackPlan) (*Result, error) {
	ctx = context.WithoutCancel(ctx)
	s, sink := rp.Settings, x.Sink
	d, err := x.Detect(ctx)
	if err != nil {
		return nil, err
	}
	p := &Plan{Settings: s, Detection: d, ArchiveDir: s.Layout().Archive(s.Primary()), App: s.Upstream}
	upWasUp := p.appAnswers()
	res := &Result{Plan: p, Issued: rp.Issued}
	record := func(err error, tx *txn.Tx) {
		rec := SiteRecord{Action: RunRollback, OK: err == nil}
		if err != nil {
			rec.Error = err.Error()
		} else if tx != nil {
			rec.Change = tx.ID
		}
		if serr := SaveSiteRecord(s.Layout(), s.Primary(), rec); serr != nil {
			sink.emit(PhaseInstall, KindWarn, "recording the run for `httpsify status`: %v", serr)
		}
	}
	changes := make([]FileChange, 0, len(rp.Undo))
	for _, u := range rp.Undo {
		role, why := RoleSite, i18n.T("the site as it was")
		switch {
		case u.Path == s.CertDir:
			role, why = RoleCertificate, "the previous certificate"
		case s.FromCertbot() && isCertbotRenewalFile(s, u.Path):
			role, why = RoleCertbotRenewal, i18n.T("certbot's renewal of %s, as it was", s.CertbotLineage)
		}
		changes = append(changes, FileChange{Change: u.Change, Role: role, Shown: u.Path, Existed: u.Existed, Why: why})
	}
	sink.emit(PhaseWrite, KindStart, "restoring %s from the change %s", count(len(changes), i18n.N("file"), i18n.N("files")), rp.Change)
	tx, err := x.commit(ctx, p, changes)
	if err != nil {
		record(err, nil)
		return res, err
	}
	for _, c := range changes {
		res.Changed = append(res.Changed, c.Path)
	}
	sink.emit(PhaseVerify, KindStart, "checking the site as a browser would")
	res.Checks, err = Verify(ctx, s, rp.Issued.Leaf, rp.Issued.ChainLen, nil, upWasUp, cmp.Or(x.VerifyWait, 10*time.Second))
	for _, c := range res.Checks {
		kind := KindOK
		if c.Warn {
			kind = KindWarn
		} else if !c.OK {
			kind = KindFail
		}
		sink.emit(PhaseVerify, kind, "%s", c.Line())
	}
	if err != nil {
		x.undo(ctx, p, tx)
		record(err, nil)
		return res, err
	}
	res.Backups, res.BackupDir = tx.Backups(), tx.BackupDir
	doneOrWarn(tx, sink)
	record(nil, tx)
	certbotRestored(sink, s, changes)
	res.RenewAt = RenewAt(rp.Issued.Leaf)
	sink.emit(PhaseVerify, KindOK, "%s serves the previous certificate again (valid until %s)", s.SiteURL(), rp.Issued.Leaf.NotAfter.Format("2006-01-02"))
	return res, nil
}
