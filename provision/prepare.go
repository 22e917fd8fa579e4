package provision

import (
	"fmt"
	"strings"

	"github.com/httpsify/httpsify/provision/nginxconf"
)

// planPrepare decides how port 80 will answer the HTTP-01 challenge: the
// running nginx serves the webroot (the block on port 80 gets a challenge
// location, a guard past its server-level redirects, and loses `ssl on`),
// or, when nothing listens there, lego's own server. Everything that would
// stop the challenge is found here, before the CA is contacted.
func planPrepare(p *Plan, d *Detection, s *Settings, r roles, newFile string) error {
	if !d.Running {
		if d.HTTPBusy {
			return fieldErr("--http-port", fmt.Errorf("port %d is in use by a program other than this nginx (which is not running); stop it, or start nginx, so the CA can reach the challenge", s.HTTPPort))
		}
		p.Standalone = true
		return nil
	}
	var onHTTP *nginxconf.Server
	for _, sv := range []*nginxconf.Server{r.plain, r.site} {
		if sv != nil && listensOn(sv, s.HTTPPort) {
			onHTTP = sv
			break
		}
	}
	edits := map[string][]splice{}
	switch {
	case onHTTP != nil:
		sp, err := port80Edits(d.Config, onHTTP, s, p.Webroot)
		if err != nil {
			return err
		}
		if len(sp) > 0 {
			edits[onHTTP.File] = sp
		}
	default:
		block := challengeServer(p, s)
		if newFile != "" || r.site == nil {
			path := newFile
			if path == "" {
				var err error
				if path, err = newSitePath(d.Config, s.Primary()); err != nil {
					return err
				}
			}
			fcs, err := newSiteChanges(path, []byte(block+"\n"))
			if err != nil {
				return err
			}
			p.Prepare = append(p.Prepare, fcs...)
		} else {
			edits[r.site.File] = append(edits[r.site.File], splice{r.site.End, r.site.End, "\n\n" + block})
		}
	}
	for path, sp := range edits {
		old, _ := d.Config.FileContent(path)
		content, err := applySplices(old, sp)
		if err != nil {
			return err
		}
		fc, err := changeFor(path, content, old, "")
		if err != nil {
			return err
		}
		p.Prepare = append(p.Prepare, fc)
	}
	sortChanges(p.Prepare)
	for i := range p.Prepare {
		p.Prepare[i].Why = "temporary: answer the CA's HTTP-01 challenge on port 80"
	}
	return nil
}

// challengeServer answers only ACME challenges for our names on port 80,
// while no block of their own exists yet.
func challengeServer(p *Plan, s *Settings) string {
	var b strings.Builder
	b.WriteString("server {\n    # managed by httpsify: temporary, for the certificate challenge\n")
	fmt.Fprintf(&b, "    listen %d;\n", s.HTTPPort)
	fmt.Fprintf(&b, "    server_name %s;\n", strings.Join(s.Domains, " "))
	fmt.Fprintf(&b, "    %s\n", acmeLocation(p.Webroot))
	b.WriteString("    location / { return 404; }\n}")
	return b.String()
}
