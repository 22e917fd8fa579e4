package nginx

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
)

// planPrepare decides how port 80 will answer the HTTP-01 challenge: the
// running nginx serves the webroot (the block on port 80 gets a challenge
// location, a guard past its server-level redirects, and loses `ssl on`),
// or, when nothing listens there, lego's own server. Everything that would
// stop the challenge is found here, before the CA is contacted.
func (Server) PlanChallenge(p *Plan) (provision.Challenge, error) {
	d, s := of(p.Detection), p.Settings
	owned, err := ownedServers(d.Config, s)
	if err != nil {
		return nil, err
	}
	r, err := siteRoles(d.Config, owned, s)
	if err != nil {
		return nil, err
	}
	newFile := "" // the new site's own file, when PlanSite makes one
	if _, ok := d.Config.FileContent(p.SiteFile); !ok && p.SiteFile != "" {
		newFile = p.SiteFile
	}
	return planPrepare(p, d, s, r, newFile)
}

func planPrepare(p *Plan, d *Detection, s *Settings, r roles, newFile string) (provision.Challenge, error) {
	if !d.Running {
		if d.HTTPBusy {
			return nil, fieldErr(provision.FlagHTTPPort, fmt.Errorf("port %d is in use by a program other than this nginx (which is not running); stop it, or start nginx, so the CA can reach the challenge", s.HTTPPort))
		}
		return provision.HTTP01Standalone{}, nil
	}
	var prep []FileChange
	edits := map[string][]splice{}
	for _, sv := range r.onHTTP(s) {
		sp, err := port80Edits(d.Config, sv, s, p.Webroot)
		if err != nil {
			return nil, err
		}
		edits[sv.File] = append(edits[sv.File], sp...)
	}
	if names := uncovered(s, r.onHTTP(s)); len(names) > 0 {
		block := challengeServer(p, s, names)
		switch {
		case r.site != nil && newFile == "":
			edits[r.site.File] = append(edits[r.site.File], splice{r.site.End, r.site.End, "\n\n" + block})
		case len(r.plain) > 0 && newFile == "":
			last := r.plain[len(r.plain)-1]
			edits[last.File] = append(edits[last.File], splice{last.End, last.End, "\n\n" + block})
		default:
			path := newFile
			if path == "" {
				var err error
				if path, err = newSitePath(d.Config, s.Primary()); err != nil {
					return nil, err
				}
			}
			fcs, err := newSiteChanges(path, []byte(block+"\n"))
			if err != nil {
				return nil, err
			}
			prep = append(prep, fcs...)
		}
	}
	for path, sp := range edits {
		old, _ := d.Config.FileContent(path)
		content, err := applySplices(old, sp)
		if err != nil {
			return nil, err
		}
		if bytes.Equal(content, old) {
			continue // port 80 already serves the challenge
		}
		fc, err := changeFor(path, content, old, "")
		if err != nil {
			return nil, err
		}
		prep = append(prep, fc)
	}
	sortChanges(prep)
	for i := range prep {
		prep[i].Why = i18n.T("temporary: answer the CA's HTTP-01 challenge on port 80")
		prep[i].Role = provision.RoleChallenge
	}
	return provision.HTTP01Server{Edits: prep}, nil
}

// challengeServer answers only ACME challenges for our names on port 80,
// while no block of their own exists yet.
func challengeServer(p *Plan, s *Settings, names []string) string {
	var b strings.Builder
	b.WriteString("server {\n    # managed by httpsify: temporary, for the certificate challenge\n")
	fmt.Fprintf(&b, "    listen %d;\n", s.HTTPPort)
	fmt.Fprintf(&b, "    server_name %s;\n", strings.Join(names, " "))
	fmt.Fprintf(&b, "    %s\n", acmeLocation(p.Webroot))
	b.WriteString("    location / { return 404; }\n}")
	return b.String()
}
