package txn

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"time"

	"github.com/httpsify/httpsify/provision/atomicfile"
	"github.com/httpsify/httpsify/provision/statedir"
)

// State is where a transaction is in its life cycle.
type State string

const (
	StatePrepared   State = "prepared"   // backed up and staged; targets untouched
	StateApplying   State = "applying"   // renames in progress; targets may be mixed
	StateApplied    State = "applied"    // all targets replaced; not yet confirmed
	StateDone       State = "done"       // confirmed; backups kept for manual use
	StateRolledBack State = "rolledback" // originals restored (or never touched)
)

// unfinished reports whether Recover must roll a journal in state s back.
func (s State) unfinished() bool {
	return s == StatePrepared || s == StateApplying || s == StateApplied
}

// op is what a change does to its target.
type op string

const (
	opWrite   op = "write"
	opRemove  op = "remove"
	opSymlink op = "symlink"
)

// entry is one target in the journal: everything Rollback needs, from a
// fresh process, to put the target back as it was.
type entry struct {
	Path string `json:"path"`
	Op   op     `json:"op"`

	// Before the transaction.
	Existed     bool        `json:"existed"`
	WasSymlink  bool        `json:"was_symlink,omitempty"`
	OldLink     string      `json:"old_link,omitempty"` // symlink target
	OldMode     fs.FileMode `json:"old_mode,omitempty"`
	OldUID      int         `json:"old_uid"`
	OldGID      int         `json:"old_gid"`
	OldSHA256   string      `json:"old_sha256,omitempty"`
	BackupPath  string      `json:"backup_path,omitempty"`
	RestoreTemp string      `json:"restore_temp,omitempty"` // temp used by Rollback

	// After the transaction.
	TempPath string      `json:"temp_path,omitempty"` // staged file or symlink
	NewMode  fs.FileMode `json:"new_mode,omitempty"`
	NewLink  string      `json:"new_link,omitempty"`
	// NewSHA256 is the written content's hash: a target that matches
	// neither it nor the original was edited by someone since, and
	// Rollback keeps that edit instead of restoring over it.
	NewSHA256 string `json:"new_sha256,omitempty"`
}

// journal is the on-disk record <stateDir>/txn/<ID>.json.
type journal struct {
	ID          string    `json:"id"`
	State       State     `json:"state"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	BackupDir   string    `json:"backup_dir"`
	CreatedDirs []string  `json:"created_dirs,omitempty"` // parents Begin made, outermost first
	Entries     []entry   `json:"entries"`
}

func journalDir(stateDir string) string { return statedir.Layout(stateDir).Journals() }

func journalPath(stateDir, id string) string {
	return statedir.Layout(stateDir).Journal(id)
}

// writeJournal replaces the journal atomically and durably: a journal is
// only useful after a crash if it is never half-written.
func writeJournal(path string, j *journal) error {
	j.Updated = time.Now().UTC()
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, data, 0o600); err != nil {
		return fmt.Errorf("write journal: %w", err)
	}
	return nil
}
