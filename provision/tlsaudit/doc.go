// Package tlsaudit reads the TLS directives of an existing nginx server
// block (and the http-level ones it inherits) and says in plain words what
// is wrong with them, for the preflight screen: "ssl on", TLS 1.0/1.1 or
// SSL enabled, no TLS 1.3, and cipher lists that enable suites without
// forward secrecy, without authenticated encryption (CBC), or broken ones
// (RC4, 3DES, NULL, anonymous, export).
//
// Directives come in as plain (name, args) pairs: this package does not
// depend on any config parser.
//
// A cipher string is expanded by the openssl command of this machine
// ("openssl ciphers -v -- STRING"), which runs the same OpenSSL cipher-list
// parser nginx calls (SSL_CTX_set_cipher_list) from the same library a
// distribution's nginx links, so the suites reported are the ones this
// nginx would enable here: aliases such as HIGH change meaning between
// OpenSSL versions and a table in Go would be right for only one. The
// string is passed as one argv element after "--", never through a shell.
// Without openssl, a small static reading of the string's tokens still
// flags broad aliases and weak families, and says the list was not
// expanded.
package tlsaudit
