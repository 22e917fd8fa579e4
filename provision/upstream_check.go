package provision

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"syscall"
	"time"

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
	newErr := dialApp(p.app)
	if newErr == nil {
		return nil
	}
	cur := currentApp(p)
	if cur != nil && cur.NginxProxyPass() != p.app.NginxProxyPass() {
		if dialApp(cur) == nil {
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

// currentApp is the app the site proxies to today: the proxy_pass of its
// root location, nil when it has none httpsify can read.
func currentApp(p *Plan) *validate.Upstream {
	if p.Detection == nil || p.Detection.Config == nil {
		return nil
	}
	owned, err := ownedServers(p.Detection.Config, p.Settings)
	if err != nil {
		return nil
	}
	src := sourceServer(owned, p.Settings)
	if src == nil {
		return nil
	}
	for _, loc := range src.Locations {
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

// dialApp connects to the app once and says why it could not.
func dialApp(u *validate.Upstream) error {
	network, addr := "unix", u.Socket
	if u.Kind == validate.UpstreamUnix {
		if _, err := os.Stat(u.Socket); errors.Is(err, os.ErrNotExist) {
			return errNoSocket
		}
	} else {
		port := u.Port
		if port == 0 {
			port = map[string]int{"http": 80, "https": 443}[u.Scheme]
		}
		network, addr = "tcp", net.JoinHostPort(u.Host, strconv.Itoa(port))
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
