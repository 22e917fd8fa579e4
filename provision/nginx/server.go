// Package nginx puts a site on nginx: it implements provision.Server on
// top of nginxconf (the reader of nginx's configuration). It edits the
// user's files in place, keeping every directive HTTPS does not need to
// change.
package nginx

import (
	"context"
	"time"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/validate"
)

// Server is nginx, as the engine sees it. It holds nothing: what Detect
// learned travels in the Detection.
type Server struct{}

var _ provision.Server = Server{}

// retireWait bounds the wait for old workers after a reload.
const retireWait = 5 * time.Second

// Test runs nginx -t on the configuration on disk.
func (Server) Test(ctx context.Context, d *provision.Detection) (string, error) {
	return of(d).Nginx.Test(ctx)
}

// TestCommand is what Test runs.
func (Server) TestCommand(d *provision.Detection) []string {
	n := of(d).Nginx
	return []string{n.Bin, "-t", "-c", n.Conf}
}

// Reload reloads (or starts) nginx and waits until the old workers stop
// accepting, so the next request (the CA's, or the verification's) sees
// the new configuration on every connection.
func (Server) Reload(ctx context.Context, d *provision.Detection) error {
	nd := of(d)
	old := masterChildren(nd.Nginx, nd.PIDFile)
	if err := nd.Nginx.Reload(ctx, d.Running); err != nil {
		return err
	}
	waitRetired(ctx, old, retireWait)
	d.Running = true
	return nil
}

// ReloadCommand is what Reload runs.
func (Server) ReloadCommand(d *provision.Detection) []string {
	return of(d).Nginx.ReloadCommand(d.Running)
}

// Probes are the requests whose answers must survive the change.
func (Server) Probes(d *provision.Detection, s *Settings) []Probe {
	return siteProbes(of(d).Config, s)
}

// CurrentApp is the proxy_pass of the site's root location today.
func (Server) CurrentApp(d *provision.Detection, s *Settings) *validate.Upstream {
	return currentApp(of(d).Config, s)
}

// AppTargets lists the servers of the http-level `upstream name {}` block.
func (Server) AppTargets(d *provision.Detection, name string) ([]provision.DialTarget, bool) {
	return upstreamServers(of(d).Config, name)
}
