// Package validate holds the input validators that guard every value httpsify
// writes into an nginx or Apache config. They are allowlists: anything not
// explicitly permitted is rejected, because a stray ';', '{', '$' or newline
// in a config file is an injection, not a typo.
//
// Errors are short and human, quote the offending value with %q (so control
// characters are escaped, never echoed), and do not name the flag: callers
// prefix that themselves ("--domain: ...").
package validate
