package certbot

import (
	"fmt"

	"github.com/httpsify/httpsify/assets/i18n"
)

var (
	// ErrUnsafeDir: the certbot or renewal directory could be changed by
	// someone other than root.
	ErrUnsafeDir = i18n.NewError("another user could change it")
	// ErrNotCertbot: a path is not one of certbot's lineage files.
	ErrNotCertbot = i18n.NewError("not a certbot certificate path")
	// ErrNoLineage: no renewal configuration for that name.
	ErrNoLineage = i18n.NewError("no such certbot lineage")
	// ErrConflict: both NAME.conf and its disabled copy exist; one was
	// made after the other, and which to keep is the user's call.
	ErrConflict = i18n.NewError("both the renewal configuration and its disabled copy exist")
	// ErrBadName: a lineage name that is not a single plain file name.
	ErrBadName = i18n.NewError("invalid lineage name")
	// ErrOutsideDir: a lineage file lies (or links) outside the certbot directory.
	ErrOutsideDir = i18n.NewError("path leads outside the certbot directory")
)

// ParseError is a renewal configuration line that could not be read;
// Msg is a catalog key (marked with i18n.N), shown translated.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, i18n.Tr(e.Msg))
}
