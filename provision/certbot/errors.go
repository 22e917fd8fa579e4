package certbot

import (
	"errors"
	"fmt"
)

var (
	// ErrUnsafeDir: the certbot or renewal directory could be changed by
	// someone other than root.
	ErrUnsafeDir = errors.New("another user could change it")
	// ErrNotCertbot: a path is not one of certbot's lineage files.
	ErrNotCertbot = errors.New("not a certbot certificate path")
	// ErrNoLineage: no renewal configuration for that name.
	ErrNoLineage = errors.New("no such certbot lineage")
	// ErrConflict: both NAME.conf and its disabled copy exist; one was
	// made after the other, and which to keep is the user's call.
	ErrConflict = errors.New("both the renewal configuration and its disabled copy exist")
	// ErrBadName: a lineage name that is not a single plain file name.
	ErrBadName = errors.New("invalid lineage name")
	// ErrOutsideDir: a lineage file lies (or links) outside the certbot directory.
	ErrOutsideDir = errors.New("path leads outside the certbot directory")
)

// ParseError is a renewal configuration line that could not be read.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}
