// Package certcheck reads a certificate, private key and optional chain
// that a user already has (a provider's "nginx" download, files copied by
// hand) and explains in plain words what is wrong with them before
// anything is written.
//
// Check never writes and never uses the network. It returns every finding
// it can make in one pass (so the user fixes everything at once) and, when
// no finding is an error, a normalised bundle ready to install: the leaf
// first, then the intermediates that build its path to a trusted root, as
// LF-only PEM.
//
// Text taken from the files (subject names, URLs) is quoted with control
// characters escaped before it reaches a message. Private key bytes never
// appear in a finding.
package certcheck
