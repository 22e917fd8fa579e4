package provision

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/atomicfile"
	"github.com/httpsify/httpsify/provision/statedir"
)

// RenewOutcome is what the last renew run did for a site.
type RenewOutcome string

const (
	OutcomeRenewed RenewOutcome = "renewed" // a new certificate is served
	OutcomeNotDue  RenewOutcome = "not-due" // checked; nothing to do yet
	OutcomeFailed  RenewOutcome = "failed"  // the old certificate is still served
)

// RenewRecord is one site's entry in <state>/renewals.json: what
// `httpsify status` and monitoring read.
type RenewRecord struct {
	LastRun     time.Time    `json:"last_run"`
	Result      RenewOutcome `json:"result"`
	Error       string       `json:"error,omitempty"`
	LastSuccess time.Time    `json:"last_success,omitzero"` // the last run that renewed or found nothing due
	NotAfter    time.Time    `json:"not_after,omitzero"`    // of the certificate served after the run
	RenewAt     time.Time    `json:"renew_at,omitzero"`     // when renewal is due
	DueBy       string       `json:"due_by,omitempty"`      // the rule that sets RenewAt: lifetime or ari
	// Warning: the run succeeded but something needs a look (the deploy
	// hook failed, the CA's renewal information could not be fetched).
	Warning string `json:"warning,omitempty"`
}

// renewalsFile is the whole record, one write per run.
type renewalsFile struct {
	Version int                     `json:"version"`
	Sites   map[string]*RenewRecord `json:"sites"`
}

const renewalsVersion = 1

// LoadRenewRecords reads every site's record; an absent file is none. A
// symbolic link in its place is refused: only httpsify writes it.
func LoadRenewRecords(l statedir.Layout) (map[string]*RenewRecord, error) {
	f, err := os.OpenFile(l.Renewals(), os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]*RenewRecord{}, nil
	}
	if err != nil {
		return nil, i18n.Errorf("renewal record: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 16<<20))
	if err != nil {
		return nil, i18n.Errorf("renewal record: %w", err)
	}
	var rf renewalsFile
	if err := json.Unmarshal(b, &rf); err != nil {
		return nil, fmt.Errorf("%s: %w", l.Renewals(), err)
	}
	if rf.Version != renewalsVersion {
		return nil, i18n.Errorf("%s: version %d, this httpsify reads version %d", l.Renewals(), rf.Version, renewalsVersion)
	}
	if rf.Sites == nil {
		rf.Sites = map[string]*RenewRecord{}
	}
	return rf.Sites, nil
}

// SaveRenewRecords merges recs into the stored records (sites not run
// this time keep theirs) and writes the file atomically, 0600. A
// record's LastSuccess carries over from the stored one on failure.
func SaveRenewRecords(l statedir.Layout, recs map[string]*RenewRecord) error {
	all, err := LoadRenewRecords(l)
	if err != nil {
		// An unreadable record must not stop renewals being recorded.
		all = map[string]*RenewRecord{}
	}
	for name, r := range recs {
		if old := all[name]; old != nil && r.LastSuccess.IsZero() {
			r.LastSuccess = old.LastSuccess
		}
		all[name] = r
	}
	b, err := json.MarshalIndent(renewalsFile{Version: renewalsVersion, Sites: all}, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(l.Renewals(), append(b, '\n'), 0o600)
}
