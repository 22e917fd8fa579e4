package nginx

import (
	"bytes"
	"fmt"
	"net"
	"strconv"
	"strings"
	"text/template"

	"github.com/httpsify/httpsify/assets"
)

// SiteParams is everything the nginx site template needs, for a site no
// server block serves yet (an existing one is edited in place). Every
// string was validated.
type SiteParams struct {
	Primary        string
	Domains        []string
	HTTPListens    []string
	HTTPSListens   []string
	HTTP2Directive bool
	CertFile       string
	KeyFile        string
	TLS            TLSProfile
	HSTS           bool
	BodySize       string
	ProxyPass      string
	Webroot        string
	RedirectTarget string
	UpgradeVar     string
	NoHTTPServer   bool // a block of the user's already serves port 80
}

var siteTemplate = template.Must(template.New("site.conf.tmpl").
	Funcs(template.FuncMap{"join": strings.Join}).
	ParseFS(assets.FS, "nginx/site.conf.tmpl"))

// RenderSite renders the HTTPS site: TLS server plus redirecting port-80 server.
func RenderSite(p SiteParams) (string, error) {
	var b bytes.Buffer
	if err := siteTemplate.Execute(&b, p); err != nil {
		return "", fmt.Errorf("rendering the nginx site: %w", err)
	}
	return b.String(), nil
}

// listenArg formats one listen directive's arguments.
func listenArg(addr string, port int, params ...string) string {
	a := strconv.Itoa(port)
	if addr != "" && addr != "*" {
		a = net.JoinHostPort(strings.Trim(addr, "[]"), a)
	}
	return strings.Join(append([]string{a}, params...), " ")
}

// redirectTarget is where port 80 sends browsers.
func redirectTarget(httpsPort int) string {
	if httpsPort == 443 {
		return "https://$host$request_uri"
	}
	return "https://$host:" + strconv.Itoa(httpsPort) + "$request_uri"
}

// upgradeVar names the per-site websocket map variable; one name per site
// so that several sites never define the same variable twice.
func upgradeVar(primary string) string {
	var b strings.Builder
	b.WriteString("httpsify_upgrade_")
	for _, r := range primary {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// ipv6Available reports whether this host can listen on IPv6, so the
// default listens do not make nginx -t fail on IPv4-only machines.
func ipv6Available() bool {
	l, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return false
	}
	l.Close()
	return true
}
