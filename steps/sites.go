package steps

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
)

// site is one detected website, as the server's Detect listed it.
type site = provision.Site

// sites are the detected websites, in config order.
func sites(d *provision.Detection) []site {
	if d == nil {
		return nil
	}
	return d.Sites
}

// siteLabel is the one-line description of a site.
func siteLabel(s site) string {
	ports := make([]string, len(s.Ports))
	for i, p := range s.Ports {
		ports[i] = fmt.Sprintf(":%d", p)
	}
	app := i18n.T("static files")
	if s.App != "" {
		app = "→ " + s.App
	}
	l := fmt.Sprintf("%s  %s  %s", strings.Join(s.Names, " "), strings.Join(ports, " "), app)
	if s.Managed {
		l += i18n.T("  (already HTTPS by httpsify)")
	}
	if len(s.TLSByHand) > 0 {
		// Issue 12: a hand-made TLS setup httpsify can modernise.
		l += i18n.T("  (TLS by hand: %s)", strings.Join(s.TLSByHand, ", "))
	}
	return l
}

// shortFile shows the last two path elements (sites-available/app).
func shortFile(p string) string {
	return filepath.Join(filepath.Base(filepath.Dir(p)), filepath.Base(p))
}
