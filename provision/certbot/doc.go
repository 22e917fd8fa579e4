// Package certbot reads a certbot installation without changing it, and
// switches one lineage's renewal off and on again, reversibly.
//
// Layout (as certbot writes it under its config dir, /etc/letsencrypt):
//
//	renewal/NAME.conf           configobj text: version, archive_dir, cert,
//	                            privkey, chain, fullchain, [renewalparams]
//	live/NAME/{cert,chain,fullchain,privkey}.pem
//	                            relative symlinks ../../archive/NAME/certN.pem
//	archive/NAME/{cert,chain,fullchain,privkey}N.pem
//
// certbot renew reads only renewal/*.conf (certbot/_internal/storage.py:
// renewal_conf_files globs "*.conf"), so renaming NAME.conf to
// NAME.conf.disabled-by-httpsify stops certbot renewing NAME while keeping
// every file, and renaming it back restores it.
//
// The tree is read through an os.Root: no symlink leads outside the certbot
// directory. Open refuses a certbot or renewal directory that a user other
// than root (or the caller) owns or that group or others can write: what is
// read there decides what httpsify renames.
package certbot

// DefaultDir is certbot's default --config-dir.
const DefaultDir = "/etc/letsencrypt"

// DisabledSuffix is appended to renewal/NAME.conf to switch its renewal off.
const DisabledSuffix = ".disabled-by-httpsify"
