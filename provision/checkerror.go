package provision

import (
	"fmt"

	"github.com/httpsify/httpsify/provision/termtext"
)

// CheckError is a failed server command (nginx -t, a reload) with the server's own error lines.
type CheckError struct {
	Command string
	Output  string
}

func (e *CheckError) Error() string {
	return termtext.Clean(fmt.Sprintf("%s failed:\n%s", e.Command, e.Output)) // the server's own words
}
