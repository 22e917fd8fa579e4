package provision

import "github.com/httpsify/httpsify/assets/i18n"

// msgError is a sentinel error (compared with errors.Is) whose text is
// shown in the user's language when it is printed, not when the package
// starts, before the language is chosen. Mark its text with i18n.N.
type msgError string

func (e msgError) Error() string { return i18n.Tr(string(e)) }
