package provision

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/httpsify/httpsify/provision/statedir"
)

// renewalsOnDisk is the part of `httpsify renew`'s record
// (<state>/renewals.json, one entry a site; written by renew, issue 10)
// that status reads: the JSON is the contract between the two.
type renewalsOnDisk struct {
	Version int `json:"version"`
	Sites   map[string]struct {
		LastRun time.Time `json:"last_run"`
		Result  string    `json:"result"` // renewed, not-due, failed
		Error   string    `json:"error,omitempty"`
	} `json:"sites"`
}

// lastRenewal is primary's entry in renew's record as a SiteRecord, nil
// when there is none or the file is not one status can read (a symlink,
// another version): status then shows the site's own record alone.
func lastRenewal(l statedir.Layout, primary string) *SiteRecord {
	f, err := os.OpenFile(filepath.Join(l.Root(), "renewals.json"), os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 16<<20))
	if err != nil {
		return nil
	}
	var r renewalsOnDisk
	if json.Unmarshal(b, &r) != nil || r.Version != 1 {
		return nil
	}
	e, ok := r.Sites[primary]
	if !ok || e.LastRun.IsZero() {
		return nil
	}
	return &SiteRecord{Time: e.LastRun, Action: RunRenew, OK: e.Result != "failed", Error: e.Error}
}
