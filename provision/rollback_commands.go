package provision

import "os"

// RollbackCommands are the shell commands that put every original back
// and have nginx re-read them: the manual form of the engine's roll back.
func (r *Result) RollbackCommands() []string {
	var out []string
	for _, bk := range r.Backups {
		switch {
		case !bk.Existed:
			out = append(out, "rm "+ShellJoin([]string{bk.Path}))
		case bk.WasSymlink:
			target, err := os.Readlink(bk.BackupPath)
			if err != nil {
				out = append(out, ShellJoin([]string{"cp", "-a", "--remove-destination", bk.BackupPath, bk.Path}))
				continue
			}
			out = append(out, ShellJoin([]string{"ln", "-sfn", target, bk.Path}))
		default:
			out = append(out, ShellJoin([]string{"cp", "-a", bk.BackupPath, bk.Path}))
		}
	}
	cmds := r.Plan.Commands()
	return append(out, ShellJoin(cmds[0])+" && "+ShellJoin(cmds[1]))
}
