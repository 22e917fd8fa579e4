package certbot

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

// LineageForPath maps a path an nginx config names (ssl_certificate,
// ssl_certificate_key, ssl_trusted_certificate) to its lineage:
// <dir>/live/NAME/… and <dir>/archive/NAME/… belong to NAME; any other path
// matches a lineage whose renewal conf names it exactly (a custom
// --cert-path). A path outside every lineage is ErrNotCertbot.
func (d *Dir) LineageForPath(p string) (Lineage, error) {
	if !filepath.IsAbs(p) {
		return Lineage{}, i18n.Errorf("%q is not absolute: %w", p, ErrNotCertbot)
	}
	if r, ok := d.rel(p); ok {
		parts := strings.Split(r, string(filepath.Separator))
		if len(parts) >= 3 && (parts[0] == "live" || parts[0] == "archive") {
			l, err := d.Lineage(parts[1])
			if err != nil {
				return Lineage{}, fmt.Errorf("%s: %w", p, err)
			}
			return l, nil
		}
	}
	all, err := d.Lineages()
	if err != nil {
		return Lineage{}, err
	}
	clean := filepath.Clean(p)
	for _, l := range all {
		if l.Conf == nil {
			continue
		}
		for _, f := range []string{l.Conf.Cert, l.Conf.PrivKey, l.Conf.Chain, l.Conf.Fullchain} {
			if f != "" && filepath.Clean(f) == clean {
				return l, nil
			}
		}
	}
	return Lineage{}, fmt.Errorf("%s: %w", p, ErrNotCertbot)
}
