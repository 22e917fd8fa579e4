package provision

// TLSProfile is the protocol and cipher policy written into a site
// (Mozilla's server-side TLS guidelines 6.0).
type TLSProfile struct {
	Protocols string
	Ciphers   string // "" leaves OpenSSL's TLS 1.3 suites alone
}

// Profiles by --tls-profile name. Intermediate is the default because
// "modern" (TLS 1.3 only) shuts out older phones.
var Profiles = map[string]TLSProfile{
	"intermediate": {
		Protocols: "TLSv1.2 TLSv1.3",
		Ciphers:   "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305",
	},
	"modern": {Protocols: "TLSv1.3"},
}
