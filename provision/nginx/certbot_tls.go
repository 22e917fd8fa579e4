package nginx

import (
	"path/filepath"

	"github.com/httpsify/httpsify/provision/nginxconf"
)

// certbot's nginx installer adds two TLS lines to a site besides the
// certificate: `include <certbot-dir>/options-ssl-nginx.conf;` (protocols,
// ciphers, session settings) and `ssl_dhparam <certbot-dir>/ssl-dhparams.pem;`.
// httpsify writes its own TLS settings (no DHE suites, so no DH
// parameters), so both lines give way to them: afterwards the site needs
// nothing under certbot's directory, and a certbot upgrade that rewrites
// its options file cannot change the site's TLS.
var certbotTLSFiles = map[string]string{
	"include":     "options-ssl-nginx.conf",
	"ssl_dhparam": "ssl-dhparams.pem",
}

// certbotTLSLines finds those lines written in the server block itself,
// naming files in certbotDir: the splices that delete them, and the
// included files whose directives no longer apply.
func certbotTLSLines(content []byte, sv *nginxconf.Server, certbotDir string) (drops []splice, dropped map[string]bool) {
	dropped = map[string]bool{}
	if certbotDir == "" {
		return nil, dropped
	}
	for _, d := range sv.Directives {
		file, ok := certbotTLSFiles[d.Name]
		if !ok || len(d.Args) != 1 || filepath.Clean(d.Args[0]) != filepath.Join(certbotDir, file) {
			continue
		}
		drops = append(drops, deleteDirective(content, d))
		if d.Name == "include" {
			dropped[filepath.Clean(d.Args[0])] = true
		}
	}
	return drops, dropped
}
