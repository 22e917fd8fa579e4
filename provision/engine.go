package provision

import (
	"cmp"
	"context"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/acme"
	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/lock"
	"github.com/httpsify/httpsify/provision/trustdir"
	"github.com/httpsify/httpsify/provision/txn"
)

// Issued is a certificate ready to be linked in: a staged version
// directory, or the installed one when no new certificate was needed.
type Issued struct {
	New        bool
	Reused     bool // issued by an earlier run that never installed it
	VersionDir string
	Leaf       *x509.Certificate
	ChainLen   int
}

// Result is what a finished run did.
type Result struct {
	Plan      *Plan
	Issued    *Issued
	Changed   []string     // files written, removed or linked
	Backups   []txn.Backup // the originals, for a manual roll back
	BackupDir string
	Checks    []Check
	RenewAt   time.Time
	// Schedule (renew, issue 10) says what runs the renewal, in one line.
	Schedule string
	// Scheduled: a renewal schedule is in place after this run.
	Scheduled bool
}

// Session holds the lock of one run; every engine call happens inside
// one. It knows the host; each site's settings travel in its Plan.
type Session struct {
	Server Server
	Host   *Host
	Sink   Sink
	// Action names the run in each site's record (RunApply when empty).
	Action RunAction
	// VerifyWait bounds how long verification waits for the site to
	// answer as planned (0: 10 s).
	VerifyWait time.Duration
	lock       *lock.Lock
	// Schedule (renew, issue 10) is installed after a verified deploy;
	// nil installs none.
	Schedule *ScheduleSpec
}

// Open takes the state-dir lock (waiting up to wait for another run) and
// finishes or rolls back a transaction a killed run left behind.
func Open(ctx context.Context, srv Server, s *Host, sink Sink, wait time.Duration) (*Session, error) {
	// Journals, keys and backups live here: it must be root's alone,
	// created 0700 and never chmodded (see trustdir).
	if _, err := trustdir.EnsureDir(s.StateDir, 0o700); err != nil {
		return nil, fieldErr(FlagStateDir, err)
	}
	l, err := lock.Acquire(s.StateDir, wait)
	if err != nil {
		return nil, err
	}
	sess := &Session{Server: srv, Host: s, Sink: sink, lock: l}
	restored, err := txn.Recover(s.StateDir)
	if err != nil {
		l.Release()
		return nil, i18n.Errorf("recovering an interrupted run: %w", err)
	}
	if len(restored) > 0 {
		sink.emit(PhaseRollback, KindWarn, "an earlier run was interrupted; undoing its changes:")
		for _, line := range restored {
			sink.emit(PhaseRollback, KindWarn, "%s", line)
		}
		if d, err := srv.Detect(ctx, s, nil); err == nil && d.Running {
			if err := srv.Reload(context.WithoutCancel(ctx), d); err != nil {
				sink.emit(PhaseRollback, KindWarn, "reloading nginx after the recovery: %v", err)
			}
		}
	}
	return sess, nil
}

// Unlocked is a session without the lock, for a dry run where the state
// dir does not exist yet: no other run can be under way (it would have
// made the directory) and there is nothing to recover. It must not write.
func Unlocked(srv Server, h *Host, sink Sink) *Session {
	return &Session{Server: srv, Host: h, Sink: sink}
}

// Close releases the lock.
func (x *Session) Close() error {
	if x.lock == nil {
		return nil
	}
	return x.lock.Release()
}

// Detect reads the web server's state.
func (x *Session) Detect(ctx context.Context) (*Detection, error) {
	return x.Server.Detect(ctx, x.Host, x.Sink)
}

// Plan builds the plan for a site's settings.
func (x *Session) Plan(d *Detection, s *Settings) (*Plan, error) {
	x.Sink.emit(PhasePlan, KindStart, "planning the change")
	p, err := BuildPlan(d, s)
	if err != nil {
		return nil, err
	}
	if err := CheckApp(p); err != nil {
		x.Sink.emit(PhasePlan, KindFail, "%v", err)
		return nil, err
	}
	if note := p.CertbotNote(); note != "" {
		x.Sink.emit(PhasePlan, KindOK, "%s", note)
	}
	for _, w := range p.Warnings {
		x.Sink.emit(PhasePlan, KindWarn, "%s", w)
	}
	x.Sink.emit(PhasePlan, KindOK, "%s to write", count(len(p.Files), i18n.N("file"), i18n.N("files")))
	return p, nil
}

// Issue gets the certificate (when the plan needs one) and stages it. The
// temporary challenge edit is rolled back if anything fails.
func (x *Session) Issue(ctx context.Context, p *Plan) (iss *Issued, err error) {
	s, sink := p.Settings, x.Sink
	if p.Upload != nil {
		return x.stageUpload(p)
	}
	if !p.Issue {
		return x.installed(p)
	}
	if iss := reusableStaged(p, time.Now()); iss != nil {
		sink.emit(PhaseIssue, KindOK, "using the certificate issued earlier that was never installed (valid until %s); no new order", iss.Leaf.NotAfter.Format("2006-01-02"))
		return iss, nil
	}
	ch := p.Challenge
	if err := ch.Prepare(ctx, p); err != nil {
		return nil, err
	}
	// Reach the CA and the account first: a CA that is down or refuses
	// the account must not cost a config change.
	defer routeLegoLog(sink)()
	sink.emit(PhaseIssue, KindStart, "contacting %s", s.CADirectory)
	client, err := connectCA(ctx, s)
	if err != nil {
		sink.emit(PhaseIssue, KindFail, "%v", err)
		return nil, err
	}
	iss = &Issued{New: true}
	cleanup, err := ch.Perform(ctx, x, p)
	if err != nil {
		return nil, err
	}
	// The temporary edit comes out again whatever happens, so between
	// Issue and Deploy the configuration is exactly the user's.
	defer cleanup()
	if err := ch.PreCheck(ctx, x, p); err != nil {
		return nil, err
	}
	if err := setProvider(client.Lego(), ch, p); err != nil {
		return nil, err
	}
	sink.emit(PhaseIssue, KindStart, "asking the CA for a certificate for %s", strings.Join(s.Domains, ", "))
	res, err := client.ObtainOrder(ctx, acme.Order{Domains: s.Domains, Profile: s.ACMEProfile, ReplacesCertID: s.ReplacesCertID})
	if err != nil {
		sink.emit(PhaseIssue, KindFail, "%v", err)
		if pe := (*acme.ProfileError)(nil); errors.As(err, &pe) {
			return nil, fieldErr(FlagACMEProfile, pe)
		}
		return nil, classifyIssue(err, s, client.ServerError())
	}
	b, err := acme.Bundle(res)
	if err != nil {
		return nil, err
	}
	sink.emit(PhaseInstall, KindStart, "storing the certificate")
	if iss.VersionDir, err = certstore.Stage(p.ArchiveDir, b); err != nil {
		return nil, err
	}
	if err := rememberStaged(s, iss.VersionDir); err != nil {
		sink.emit(PhaseInstall, KindWarn, "noting the certificate for a later run: %v", err)
	}
	if iss.Leaf, iss.ChainLen, err = certstore.ReadVersion(iss.VersionDir); err != nil {
		return nil, err
	}
	sink.emit(PhaseIssue, KindOK, "certificate issued, valid until %s", iss.Leaf.NotAfter.Format("2006-01-02"))
	return iss, nil
}

// installed returns the live certificate, which needs no renewal.
func (x *Session) installed(p *Plan) (*Issued, error) {
	cur, err := certstore.Current(p.Settings.CertDir)
	if err != nil {
		return nil, err
	}
	leaf, n, err := certstore.ReadVersion(cur)
	if err != nil {
		return nil, err
	}
	x.Sink.emit(PhaseIssue, KindOK, "the installed certificate is valid until %s; no new one needed", leaf.NotAfter.Format("2006-01-02"))
	return &Issued{VersionDir: cur, Leaf: leaf, ChainLen: n}, nil
}

// deploy writes the site and links the certificate as one transaction,
// checks it with nginx -t, reloads and verifies; any failure after the
// write restores every file and reloads the old config. It ignores
// cancellation: once files move, the run finishes or rolls back.
func (x *Session) deploy(ctx context.Context, p *Plan, iss *Issued) (*Result, error) {
	ctx = context.WithoutCancel(ctx)
	s, sink := p.Settings, x.Sink
	res := &Result{Plan: p, Issued: iss}
	fail := func(err error, txs ...*txn.Tx) (*Result, error) {
		x.undo(ctx, p, txs...)
		return res, err
	}
	if err := unchangedSince(p); err != nil {
		return fail(err)
	}
	upWasUp := p.appAnswers()
	if !upWasUp {
		sink.emit(PhaseWrite, KindWarn, "the app at %s is not answering right now", p.Upstream)
	}
	// How the site answers today, to be answered the same over https.
	before := RecordBehaviour(ctx, s, p.Detection.Server.Probes(p.Detection, s))
	changes, err := DeployChanges(s, p, iss)
	if err != nil {
		return fail(err)
	}
	changes = append(changes, x.handOver(s, p, iss)...)
	var tx *txn.Tx
	if len(changes) == 0 {
		sink.emit(PhaseWrite, KindOK, "the site is already as planned; nothing to write")
	} else {
		sink.emit(PhaseWrite, KindStart, "writing %s", count(len(changes), i18n.N("file"), i18n.N("files")))
		var err error
		if tx, err = x.commit(ctx, p, changes); err != nil {
			return fail(err)
		}
	}
	for _, c := range changes {
		res.Changed = append(res.Changed, c.Path)
	}
	sink.emit(PhaseVerify, KindStart, "checking the site as a browser would")
	res.Checks, err = Verify(ctx, s, iss.Leaf, iss.ChainLen, before, upWasUp, cmp.Or(x.VerifyWait, 10*time.Second))
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
		return fail(err, tx)
	}
	if tx != nil {
		res.Backups = tx.Backups()
		res.BackupDir = tx.BackupDir
		doneOrWarn(tx, sink)
	}
	handedOver(sink, s, changes)
	if err := certstore.Prune(p.ArchiveDir, s.CertDir, 5); err != nil {
		sink.emit(PhaseInstall, KindWarn, "removing old certificate versions: %v", err)
	}
	// DNS-01 credentials are kept 0600 for renewals (the request names the file).
	if err := saveDNSCredentials(s); err != nil {
		sink.emit(PhaseInstall, KindWarn, "storing the DNS credentials for a later renewal: %v", err)
	}
	// What was asked for is kept with the certificate, for the next run.
	if err := SaveRequest(s.Layout(), s.withHost()); err != nil {
		sink.emit(PhaseInstall, KindWarn, "storing the site's request for a later renewal: %v", err)
	}
	res.RenewAt = RenewAt(iss.Leaf)
	res.Schedule, res.Scheduled = x.installSchedule(s)
	if iss.New {
		sink.emit(PhaseVerify, KindOK, "%s serves the new certificate", s.SiteURL())
	} else {
		sink.emit(PhaseVerify, KindOK, "%s serves the installed certificate, as before", s.SiteURL())
	}
	return res, nil
}

// DeployChanges is what Deploy swaps in, the certificate link first. Each
// change is one rename, so a run killed between two of them must leave
// files nginx still accepts: never a site naming certificate files that
// are not linked yet (nginx -t would fail and nginx would not start).
func DeployChanges(s *Settings, p *Plan, iss *Issued) ([]FileChange, error) {
	var changes []FileChange
	if cur, _ := certstore.Current(s.CertDir); cur != iss.VersionDir {
		if err := os.MkdirAll(filepath.Dir(s.CertDir), 0o755); err != nil {
			return nil, fieldErr(FlagCertDir, err)
		}
		link, err := certstore.LiveChange(s.CertDir, iss.VersionDir)
		if err != nil {
			return nil, fieldErr(FlagCertDir, err)
		}
		changes = append(changes, FileChange{Change: link, Role: RoleCertificate, Shown: s.CertDir, Why: i18n.T("the certificate files")})
	}
	return append(changes, p.Files...), nil
}

// commit swaps changes in, runs nginx -t and reloads; on any failure it
// restores the files (and reloads when nginx had taken them).
func (x *Session) commit(ctx context.Context, p *Plan, changes []FileChange) (*txn.Tx, error) {
	// Once files move, check and reload run to the end: a signal must not
	// kill nginx -t or the reload halfway.
	ctx = context.WithoutCancel(ctx)
	d, sink := p.Detection, x.Sink
	var tc []txn.Change
	for _, c := range changes {
		tc = append(tc, c.Change)
	}
	tx, err := txn.Begin(x.Host.StateDir, tc)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	sink.emit(PhaseCheck, KindStart, "%s -t", d.Name)
	if out, err := d.Server.Test(ctx, d); err != nil {
		sink.emit(PhaseCheck, KindFail, "%v", err)
		tx.Rollback()
		sink.emit(PhaseRollback, KindOK, "every file restored byte for byte")
		return nil, err
	} else {
		sink.emit(PhaseCheck, KindOK, "%s", lastLine(out))
	}
	sink.emit(PhaseReload, KindStart, "%s", joinArgs(d.Server.ReloadCommand(d)))
	// Reload returns once the old workers stop accepting: only then does
	// the CA (or the verification) see the new config on every connection.
	if err := d.Server.Reload(ctx, d); err != nil {
		sink.emit(PhaseReload, KindFail, "%v", err)
		x.undo(ctx, p, tx)
		return nil, err
	}
	sink.emit(PhaseReload, KindOK, "%s reloaded", d.Name)
	return tx, nil
}

// undo rolls transactions back newest first and reloads the old config.
func (x *Session) undo(ctx context.Context, p *Plan, txs ...*txn.Tx) {
	x.restore(ctx, p, PhaseRollback, i18n.N("every changed file restored byte for byte"), txs...)
}

// restore rolls txs back and reloads nginx, reporting under phase.
func (x *Session) restore(ctx context.Context, p *Plan, phase Phase, done string, txs ...*txn.Tx) {
	ctx = context.WithoutCancel(ctx)
	rolled := false
	for i := len(txs) - 1; i >= 0; i-- {
		if txs[i] == nil {
			continue
		}
		if err := txs[i].Rollback(); err != nil {
			x.Sink.emit(phase, KindFail, "%v", err)
		}
		rolled = true
	}
	if !rolled {
		return
	}
	x.Sink.emit(phase, KindOK, "%s", i18n.Tr(done)) // marked by the callers
	d := p.Detection
	if d.Running {
		if err := d.Server.Reload(ctx, d); err != nil {
			x.Sink.emit(phase, KindFail, "reloading the restored config: %v", err)
		} else {
			x.Sink.emit(phase, KindOK, "%s reloaded with the previous config", d.Name)
		}
	}
}

// Run does a whole apply: detect, plan, confirm, issue, deploy.
func (x *Session) Run(ctx context.Context, s *Settings, confirm func(*Plan) bool) (*Result, error) {
	d, err := x.Detect(ctx)
	if err != nil {
		return nil, err
	}
	p, err := x.Plan(d, s)
	if err != nil {
		return nil, err
	}
	if confirm != nil && !confirm(p) {
		return nil, ErrDeclined
	}
	iss, err := x.Issue(ctx, p)
	if err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return x.Deploy(ctx, p, iss)
}

// ErrDeclined: the user said no; nothing was changed.
var ErrDeclined = errors.New("nothing changed")

// doneOrWarn closes a transaction. If its journal cannot be marked done,
// the next run would take it for an interrupted one and roll it back, so
// the user must hear about it.
func doneOrWarn(tx *txn.Tx, sink Sink) {
	if err := tx.Done(); err != nil {
		sink.emit(PhaseWrite, KindWarn, "the change is live, but its journal could not be closed (%v); the next run would undo it: fix the state directory first", err)
	}
}
