package nginx

import (
	"fmt"
	"slices"
	"strings"

	"github.com/httpsify/httpsify/provision/nginxconf"
)

// serverNameEdits adds the names the certificate was asked for and the
// site block does not answer yet (a wildcard beside the apex, say) to the
// end of its own server_name line, so the site serves every name on the
// certificate. The names already there, their order and the line's layout
// stay as the user wrote them.
// Names another TLS block of the site answers (others: a block that
// redirects www to the apex) stay there.
func serverNameEdits(cfg *nginxconf.Config, sv *nginxconf.Server, s *Settings, others []*nginxconf.Server) ([]splice, error) {
	var missing []string
	for _, n := range s.Domains {
		if !hasName(sv, n) && !slices.ContainsFunc(others, func(o *nginxconf.Server) bool { return hasName(o, n) }) {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return nil, nil
	}
	i := slices.IndexFunc(sv.All, func(e nginxconf.Entry) bool { return e.D.Name == "server_name" && e.Via == "" })
	if i < 0 {
		return nil, fmt.Errorf("the server block at %s has no server_name line of its own to add %s to; add `server_name %s;` to the block", where(cfg, sv), strings.Join(missing, " "), strings.Join(s.Domains, " "))
	}
	d := sv.All[i].D
	// d.End is just after the ';': the names go right before it.
	return []splice{{d.End - 1, d.End - 1, " " + strings.Join(missing, " ")}}, nil
}
