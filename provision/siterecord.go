package provision

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/httpsify/httpsify/provision/atomicfile"
	"github.com/httpsify/httpsify/provision/statedir"
)

// RunAction names what a run did to a site, in its record.
type RunAction string

const (
	RunApply    RunAction = "apply"
	RunRenew    RunAction = "renew"
	RunRollback RunAction = "rollback"
)

// SiteRecordVersion is the version of the record's JSON.
const SiteRecordVersion = 1

// SiteRecord is the last run on one site, kept beside its certificates
// (<state>/archive/<primary>/last-run.json) for `status` and `rollback`.
type SiteRecord struct {
	Version int       `json:"version"`
	Time    time.Time `json:"time"`
	Action  RunAction `json:"action"`
	OK      bool      `json:"ok"`
	// Error is the failure as the run reported it; outside text (a CA's
	// message, nginx's output): clean it before printing.
	Error string `json:"error,omitempty"`
	// Change is the transaction (txn ID) of the last run that changed the
	// site's files, carried over by runs that changed nothing: the one a
	// rollback takes back.
	Change string `json:"change,omitempty"`
	// ConfigFile is the site's configuration file as last written.
	ConfigFile string `json:"config_file,omitempty"`
}

// SiteRecordPath is where a site's record lives.
func SiteRecordPath(l statedir.Layout, primary string) string {
	return filepath.Join(l.Archive(primary), "last-run.json")
}

// SaveSiteRecord stores r for primary (0600, atomically). A record
// without Change or ConfigFile keeps the ones stored before, so a run
// that changed nothing never loses the way back.
func SaveSiteRecord(l statedir.Layout, primary string, r SiteRecord) error {
	if r.Change == "" || r.ConfigFile == "" {
		if old, err := LoadSiteRecord(l, primary); err == nil && old != nil {
			if r.Change == "" {
				r.Change = old.Change
			}
			if r.ConfigFile == "" {
				r.ConfigFile = old.ConfigFile
			}
		}
	}
	r.Version = SiteRecordVersion
	if r.Time.IsZero() {
		r.Time = time.Now()
	}
	r.Time = r.Time.UTC()
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	path := SiteRecordPath(l, primary)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return atomicfile.Write(path, append(b, '\n'), 0o600)
}

// LoadSiteRecord reads primary's record; nil, nil when there is none. A
// symlink in its place is refused.
func LoadSiteRecord(l statedir.Layout, primary string) (*SiteRecord, error) {
	path := SiteRecordPath(l, primary)
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var r SiteRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if r.Version != SiteRecordVersion {
		return nil, fmt.Errorf("%s: version %d, this httpsify reads version %d", path, r.Version, SiteRecordVersion)
	}
	return &r, nil
}

// Deploy writes the site and links the certificate as one transaction,
// checks, reloads and verifies (see deploy), then records the run for
// status and rollback.
func (x *Session) Deploy(ctx context.Context, p *Plan, iss *Issued) (*Result, error) {
	res, err := x.deploy(ctx, p, iss)
	rec := SiteRecord{Action: x.Action, OK: err == nil, ConfigFile: p.SiteFile}
	if rec.Action == "" {
		rec.Action = RunApply
	}
	if err != nil {
		rec.Error = err.Error()
		rec.ConfigFile = "" // keep the one that is live
	} else if res != nil && res.BackupDir != "" {
		rec.Change = filepath.Base(res.BackupDir)
	}
	if serr := SaveSiteRecord(p.Settings.Layout(), p.Settings.Primary(), rec); serr != nil {
		x.Sink.emit(PhaseInstall, KindWarn, "recording the run for `httpsify status`: %v", serr)
	}
	return res, err
}
