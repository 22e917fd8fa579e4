package tlsaudit

import "context"

// Audit reports what is wrong with the TLS settings a server block ends up
// with. exp expands cipher strings; nil means OpenSSL{} (the openssl
// command). Findings come in a fixed order: ssl on, protocols, ciphers.
func Audit(ctx context.Context, in Input, exp Expander) []Finding {
	if exp == nil {
		exp = OpenSSL{}
	}
	var out []Finding
	out = append(out, sslOnFindings(in)...)
	out = append(out, protocolFindings(in)...)
	out = append(out, cipherFindings(ctx, in, exp)...)
	return out
}
