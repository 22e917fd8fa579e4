package provision

import (
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/renewdue"
	"github.com/httpsify/httpsify/provision/schedule"
	"github.com/httpsify/httpsify/provision/statedir"
	"github.com/httpsify/httpsify/provision/txn"
	"github.com/httpsify/httpsify/provision/validate"
)

// RemoveFile is one file a restoring removal puts back as it was before
// httpsify's first change of it.
type RemoveFile struct {
	Undo txn.Undo
	Role Role
	// Existed: the file was there before httpsify; otherwise it goes.
	Existed bool
	// changes are the transactions that changed it, oldest first: Remove
	// checks again that it still holds what the last one left.
	changes []string
}

// KeptFile is a file httpsify changed for the site that a removal leaves
// as it is, and why.
type KeptFile struct {
	Path string
	Why  string
}

// RemovePlan is what removing one managed site will do. PlanRemove
// writes nothing; the same plan drives --dry-run, the confirmation and
// Remove.
type RemovePlan struct {
	Settings *Settings
	// Restore: the site's files go back to what they were before
	// httpsify's first change (false: they stay, serving HTTPS as now).
	Restore bool
	// Files are what a restore writes, removes or relinks (none when
	// keeping).
	Files []RemoveFile
	// Kept are files httpsify changed for the site that stay as they are.
	Kept []KeptFile
	// Changes are the transactions whose originals are put back.
	Changes []string
	// Leaf is the certificate served now; nil when none could be read.
	Leaf *x509.Certificate
	// CertVersions is the site's certificate directory under the state
	// dir: deleted after a restore, kept (served) when keeping.
	CertVersions string
	// Deleted are the state files that go: the stored request, the
	// site's records, a staged version, DNS credentials no other site
	// uses.
	Deleted []string
	// Credentials is the DNS provider's credentials file deleted with the
	// site ("" when none, or another site still uses it). Never printed
	// but by its path.
	Credentials string
	// Schedule is what happens to the renewal schedule, in one line;
	// RemoveSchedule says it goes (this was the last site it renews).
	Schedule       string
	RemoveSchedule bool
	// Notes are what the user must know, e.g. that a kept certificate
	// will not be renewed by httpsify.
	Notes []string
}

// RemoveResult is what Remove did.
type RemoveResult struct {
	Plan *RemovePlan
	// Changed are the files restored (a restore only); BackupDir holds
	// the HTTPS versions they replaced.
	Changed   []string
	BackupDir string
	Checks    []Check
	Deleted   []string
	// Schedule says what happened to the renewal schedule.
	Schedule string
}

// RestoreEditedError: a file of the site was changed by someone after
// httpsify's last change of it, so restoring the original would drop
// that change. Nothing is written.
type RestoreEditedError struct {
	Site, Path string
	Err        error // *txn.EditedSinceError or *txn.EditedBetweenError
}

func (e *RestoreEditedError) Error() string {
	return i18n.T("%s was edited since httpsify changed it: restoring %s as it was would drop that edit; nothing was changed. Remove with --keep-config (the site keeps its HTTPS config), or restore the file by hand (the originals are under the state dir's backups/)", e.Path, e.Site)
}

func (e *RestoreEditedError) Unwrap() error { return e.Err }

// RestoreUnavailableError: the site cannot be put back as it was (an
// original is gone, or a file is shared with another managed site).
// Nothing is written.
type RestoreUnavailableError struct {
	Site, Why string
}

func (e *RestoreUnavailableError) Error() string {
	return i18n.T("%s cannot be restored as it was: %s; nothing was changed. Remove with --keep-config instead", e.Site, i18n.Tr(e.Why))
}

// PlanRemove says what removing primary means: with restore, which
// files go back to what they were before httpsify's first change of them
// (from the transactions' journals and backups); without, that the site
// keeps its HTTPS config and certificate but httpsify stops managing and
// renewing it. It also says which state goes and whether the renewal
// schedule goes with the last site. It writes nothing.
func (x *Session) PlanRemove(primary string, restore bool) (*RemovePlan, error) {
	l := statedir.Layout(x.Host.StateDir)
	names, err := validate.Domains([]string{primary}, true)
	if err != nil {
		return nil, fieldErr(FlagDomain, err)
	}
	primary = names[0]
	req, err := LoadRequest(l, primary)
	if errors.Is(err, ErrNoRequest) {
		return nil, &NotManagedError{Name: primary}
	}
	if err != nil {
		return nil, err
	}
	s := &Settings{Host: *x.Host, Request: *req}
	rp := &RemovePlan{Settings: s, Restore: restore, CertVersions: l.Archive(primary)}
	if leaf, why := installedLeaf(l, req.CertDir); why == "" {
		rp.Leaf = leaf
	}
	rec, err := LoadSiteRecord(l, primary)
	if err != nil {
		return nil, err
	}
	configFile := ""
	if rec != nil {
		configFile = rec.ConfigFile
	}
	history, err := txn.History(s.StateDir)
	if err != nil {
		return nil, err
	}
	mine := siteChanges(history, seedPaths(req.CertDir, configFile))
	if restore {
		others, err := otherSitesPaths(l, primary, history)
		if err != nil {
			return nil, &RestoreUnavailableError{Site: primary, Why: err.Error()}
		}
		if err := rp.planRestore(s, mine, others, configFile); err != nil {
			return nil, err
		}
	} else {
		for _, p := range sortedKeys(mine) {
			rp.Kept = append(rp.Kept, KeptFile{Path: p, Why: i18n.N("kept as it is: the site keeps serving HTTPS")})
		}
		note := i18n.T("httpsify stops managing %s: its certificate will NOT be renewed by httpsify", primary)
		if rp.Leaf != nil {
			note += i18n.T(" and stops being valid on %s; renew it some other way before then", rp.Leaf.NotAfter.UTC().Format("2006-01-02"))
		}
		rp.Notes = append(rp.Notes, note)
	}
	if err := rp.planState(l, primary); err != nil {
		return nil, err
	}
	rp.planSchedule(x.scheduleRoot(), l, primary)
	return rp, nil
}

// planRestore finds, for every file httpsify changed for the site, what
// it was before httpsify's first change of it.
func (rp *RemovePlan) planRestore(s *Settings, mine map[string][]string, others map[string]string, configFile string) error {
	site := s.Primary()
	if len(mine) == 0 {
		return &RestoreUnavailableError{Site: site, Why: i18n.N("no change of it is on record")}
	}
	seen := map[string]bool{}
	for _, path := range sortedKeys(mine) {
		ids := mine[path]
		if other, ok := others[path]; ok {
			if path == configFile || path == s.CertDir {
				return &RestoreUnavailableError{Site: site, Why: i18n.T("%s also holds %s, which httpsify still manages", path, other)}
			}
			rp.Kept = append(rp.Kept, KeptFile{Path: path, Why: i18n.T("also changed for %s, which httpsify still manages", other)})
			continue
		}
		u, err := txn.Original(s.StateDir, path, ids)
		var since *txn.EditedSinceError
		var between *txn.EditedBetweenError
		if errors.As(err, &since) || errors.As(err, &between) {
			return &RestoreEditedError{Site: site, Path: path, Err: err}
		}
		if err != nil {
			return &RestoreUnavailableError{Site: site, Why: err.Error()}
		}
		role := RoleSite
		if path == s.CertDir {
			role = RoleCertificate
		}
		rp.Files = append(rp.Files, RemoveFile{Undo: u, Role: role, Existed: u.Existed, changes: ids})
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				rp.Changes = append(rp.Changes, id)
			}
		}
	}
	slices.Sort(rp.Changes)
	if len(rp.Files) == 0 {
		return &RestoreUnavailableError{Site: site, Why: i18n.N("every file it was changed in also serves another managed site")}
	}
	return nil
}

// planState lists the site's state that goes.
func (rp *RemovePlan) planState(l statedir.Layout, primary string) error {
	s := rp.Settings
	if rp.Restore {
		rp.Deleted = append(rp.Deleted, rp.CertVersions)
	} else {
		rp.Deleted = append(rp.Deleted, l.Request(primary), SiteRecordPath(l, primary))
	}
	if exists(l.Staged(primary)) {
		rp.Deleted = append(rp.Deleted, l.Staged(primary))
	}
	if rp.Leaf != nil {
		// The CA's renewal information for the certificate served now.
		c := &renewdue.Cache{Dir: l.RenewalInfo()}
		if f, err := c.EntryFile(rp.Leaf); err == nil && exists(f) {
			rp.Deleted = append(rp.Deleted, f)
		}
	}
	if f := s.DNSCredentialsFile; f != "" && exists(f) && underDir(f, l.Root()) {
		users, err := credentialUsers(l, primary, f)
		if err != nil {
			return err
		}
		if len(users) == 0 {
			rp.Credentials = f
			rp.Deleted = append(rp.Deleted, f)
		} else {
			rp.Notes = append(rp.Notes, i18n.T("the DNS credentials %s stay: %s still use them", f, strings.Join(users, ", ")))
		}
	}
	return nil
}

// planSchedule: the schedule goes with the last site of the state dir it
// renews, and only then.
func (rp *RemovePlan) planSchedule(root string, l statedir.Layout, primary string) {
	installed, dir := schedule.Installed(root)
	if !installed {
		rp.Schedule = i18n.N("no renewal schedule is installed")
		return
	}
	if dir == "" {
		dir = DefaultStateDir
	}
	if filepath.Clean(dir) != filepath.Clean(l.Root()) {
		rp.Schedule = i18n.T("the renewal schedule stays: it renews the sites in %s", dir)
		return
	}
	sites, _ := StoredSites(l)
	left := slices.DeleteFunc(slices.Clone(sites), func(n string) bool { return n == primary })
	if len(left) > 0 {
		rp.Schedule = i18n.T("the renewal schedule stays: it renews %s", count(len(left), i18n.N("other site"), i18n.N("other sites")))
		return
	}
	rp.RemoveSchedule = true
	rp.Schedule = i18n.N("the renewal schedule goes: this is the last site it renews")
	if r, err := schedule.PlanRemove(schedule.Options{Root: root}); err == nil && len(r.Actions) > 0 {
		var a []string
		for _, act := range r.Actions {
			a = append(a, act.String())
		}
		rp.Schedule += " (" + strings.Join(a, "; ") + ")"
	}
}

// scheduleRoot is where the schedule lives ("" is /).
func (x *Session) scheduleRoot() string {
	if x.Schedule != nil {
		return x.Schedule.Root
	}
	return ""
}

// seedPaths are the paths that identify a site's transactions: its
// certificate link and its configuration file (as recorded, and resolved).
func seedPaths(certDir, configFile string) []string {
	out := []string{certDir}
	if configFile != "" {
		out = append(out, configFile)
		if r, err := filepath.EvalSymlinks(configFile); err == nil && r != configFile {
			out = append(out, r)
		}
	}
	return out
}

// siteChanges maps every path changed by a finished transaction that
// touched one of seeds to those transactions, oldest first.
func siteChanges(history []txn.Finished, seeds []string) map[string][]string {
	out := map[string][]string{}
	for _, f := range history {
		if !slices.ContainsFunc(f.Paths, func(p string) bool { return slices.Contains(seeds, p) }) {
			continue
		}
		for _, p := range f.Paths {
			out[p] = append(out[p], f.ID)
		}
	}
	return out
}

// otherSitesPaths maps each path changed for another managed site to
// that site's name.
func otherSitesPaths(l statedir.Layout, primary string, history []txn.Finished) (map[string]string, error) {
	sites, err := StoredSites(l)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, n := range sites {
		if n == primary {
			continue
		}
		req, err := LoadRequest(l, n)
		if err != nil {
			return nil, i18n.Errorf("another managed site, %s: %w", n, err)
		}
		cf := ""
		if rec, err := LoadSiteRecord(l, n); err == nil && rec != nil {
			cf = rec.ConfigFile
		}
		for p := range siteChanges(history, seedPaths(req.CertDir, cf)) {
			if _, ok := out[p]; !ok {
				out[p] = n
			}
		}
	}
	return out, nil
}

// credentialUsers are the other managed sites whose request names the
// credentials file f.
func credentialUsers(l statedir.Layout, primary, f string) ([]string, error) {
	sites, err := StoredSites(l)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range sites {
		if n == primary {
			continue
		}
		req, err := LoadRequest(l, n)
		if err != nil {
			// Unreadable: it may use them; keep them.
			out = append(out, n)
			continue
		}
		if req.DNSCredentialsFile == f {
			out = append(out, n)
		}
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func underDir(path, dir string) bool {
	rel, err := filepath.Rel(filepath.Clean(dir), filepath.Clean(path))
	return err == nil && rel != "." && !strings.HasPrefix(rel, "..")
}
