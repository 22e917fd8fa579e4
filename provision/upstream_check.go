package provision

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/httpsify/httpsify/provision/nginxconf"
	"github.com/httpsify/httpsify/provision/validate"
)

// appDialTimeout bounds one probe of the app: a local socket or port
// answers at once or not at all.
const appDialTimeout = 2 * time.Second

// CheckApp probes the app address the plan proxies to before anything is
// written. When the site's current app answers and the new address does
// not, the new address is a typo (myproject.sock for app.sock) that would
// turn a working site into a 502: refused, naming both. When nothing
// answers at all, the app may simply not be started yet: a warning.
func CheckApp(p *Plan) error {
	if p.app == nil {
		return nil // the site's own location is carried as it is
	}
	if p.app.Note != "" {
		p.Warnings = append(p.Warnings, p.app.Note)
	}
	cfg := planConfig(p)
	newErr := dialApp(cfg, p.app)
	if newErr == nil {
		return nil
	}
	cur := currentApp(p)
	if cur != nil && cur.NginxProxyPass() != p.app.NginxProxyPass() {
		if dialApp(cfg, cur) == nil {
			return fieldErr("--upstream", &AppMismatchError{New: p.app.String(), Current: cur.String(), Reason: newErr})
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf("nothing answers at %s (%v), nor at the site's current app %s: the https site will show 502 until the app runs there", p.app, newErr, cur))
		return nil
	}
	p.Warnings = append(p.Warnings, fmt.Sprintf("nothing answers at %s (%v): the https site will show 502 until the app runs there", p.app, newErr))
	return nil
}

// AppMismatchError: the site's current app answers, the given one does not.
type AppMismatchError struct {
	New, Current string
	Reason       error
}

func (e *AppMismatchError) Error() string {
	return fmt.Sprintf("nothing answers at %s (%v), but the site's current app at %s does; check the address (or leave it empty to keep %s)", e.New, e.Reason, e.Current, e.Current)
}

func (e *AppMismatchError) Unwrap() error { return e.Reason }

// appAnswers reports whether the app accepts connections now, so a dead
// app is not blamed on the new config. A carried location is not probed.
func (p *Plan) appAnswers() bool {
	return p.app == nil || dialApp(planConfig(p), p.app) == nil
}

func planConfig(p *Plan) *nginxconf.Config {
	if p.Detection == nil {
		return nil
	}
	return p.Detection.Config
}

// currentApp is the app the site proxies to today: the proxy_pass of its
// root location, nil when it has none httpsify can read.
func currentApp(p *Plan) *validate.Upstream {
	cfg := planConfig(p)
	if cfg == nil {
		return nil
	}
	owned, err := ownedServers(cfg, p.Settings)
	if err != nil {
		return nil
	}
	r, err := siteRoles(cfg, owned, p.Settings)
	if err != nil || r.site == nil {
		return nil
	}
	for _, loc := range r.site.Locations {
		if len(loc.Args) == 1 && loc.Args[0] == "/" && loc.ProxyPass != "" {
			if up, ok := carriedUpstream(loc.ProxyPass); ok {
				return &up
			}
		}
	}
	return nil
}

// errNoSocket: the socket file does not exist (the usual typo).
var errNoSocket = errors.New("no such socket")

// dialApp connects to the app once and says why it could not. A
// proxy_pass naming an `upstream NAME { server …; }` block is checked at
// those servers (any one answering is enough), never by looking NAME up.
func dialApp(cfg *nginxconf.Config, u *validate.Upstream) error {
	if u.Kind != validate.UpstreamUnix && cfg != nil {
		if servers, ok := upstreamServers(cfg, u.Host); ok {
			err := error(errors.New("the upstream block has no servers"))
			for _, sv := range servers {
				if err = dial(sv.network, sv.addr); err == nil {
					return nil
				}
			}
			return err
		}
	}
	if u.Kind == validate.UpstreamUnix {
		return dial("unix", u.Socket)
	}
	port := u.Port
	if port == 0 {
		port = map[string]int{"http": 80, "https": 443}[u.Scheme]
	}
	return dial("tcp", net.JoinHostPort(u.Host, strconv.Itoa(port)))
}

func dial(network, addr string) error {
	if network == "unix" {
		if _, err := os.Stat(addr); errors.Is(err, os.ErrNotExist) {
			return errNoSocket
		}
	}
	c, err := net.DialTimeout(network, addr, appDialTimeout)
	if err != nil {
		var ne net.Error
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			return errors.New("connection refused")
		case errors.As(err, &ne) && ne.Timeout():
			return fmt.Errorf("no answer within %s", appDialTimeout)
		}
		return err
	}
	c.Close()
	return nil
}

type dialTarget struct{ network, addr string }

// upstreamServers lists the servers of the http-level `upstream name {}`
// block; ok is false when there is no such block.
func upstreamServers(cfg *nginxconf.Config, name string) ([]dialTarget, bool) {
	for _, d := range cfg.HTTP {
		if d.Name != "upstream" || len(d.Args) != 1 || !strings.EqualFold(d.Args[0], name) {
			continue
		}
		var out []dialTarget
		for _, k := range d.Block {
			if k.Name != "server" || len(k.Args) == 0 {
				continue
			}
			a := k.Args[0]
			if sock, ok := strings.CutPrefix(a, "unix:"); ok {
				out = append(out, dialTarget{"unix", sock})
				continue
			}
			if _, _, err := net.SplitHostPort(a); err != nil {
				a = net.JoinHostPort(strings.Trim(a, "[]"), "80") // nginx's default port
			}
			out = append(out, dialTarget{"tcp", a})
		}
		return out, true
	}
	return nil, false
}
