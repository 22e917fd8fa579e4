package provision

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
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
	if p.App == nil {
		return nil // the site's own location is carried as it is
	}
	if p.App.Note != "" {
		p.Warnings = append(p.Warnings, p.App.Note)
	}
	d := p.Detection
	newErr := dialApp(d, p.App)
	if newErr == nil {
		return nil
	}
	var cur *validate.Upstream
	if d := p.Detection; d != nil && d.Server != nil {
		cur = d.Server.CurrentApp(d, p.Settings)
	}
	if cur != nil && cur.NginxProxyPass() != p.App.NginxProxyPass() {
		if dialApp(d, cur) == nil {
			return fieldErr(FlagUpstream, &AppMismatchError{New: p.App.String(), Current: cur.String(), Reason: newErr})
		}
		p.Warnings = append(p.Warnings, i18n.T("nothing answers at %s (%v), nor at the site's current app %s: the https site will show 502 until the app runs there", p.App, newErr, cur))
		return nil
	}
	p.Warnings = append(p.Warnings, i18n.T("nothing answers at %s (%v): the https site will show 502 until the app runs there", p.App, newErr))
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
	return p.App == nil || dialApp(p.Detection, p.App) == nil
}

// errNoSocket: the socket file does not exist (the usual typo).
var errNoSocket = errors.New("no such socket")

// dialApp connects to the app once and says why it could not. A
// proxy_pass naming an `upstream NAME { server …; }` block is checked at
// those servers (any one answering is enough), never by looking NAME up.
func dialApp(d *Detection, u *validate.Upstream) error {
	if u.Kind != validate.UpstreamUnix && d != nil && d.Server != nil {
		if servers, ok := d.Server.AppTargets(d, u.Host); ok {
			err := error(errors.New("the upstream block has no servers"))
			for _, sv := range servers {
				if err = dial(sv.Network, sv.Addr); err == nil {
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
