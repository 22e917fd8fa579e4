package provision

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/httpsify/httpsify/provision/nginxconf"
)

// planPrepare decides how port 80 will answer the HTTP-01 challenge: the
// running nginx serves the webroot (adding a location when the current
// block lacks it), or, when nothing listens there, lego's own server.
func planPrepare(p *Plan, d *Detection, s *Settings, owned []*nginxconf.Server, newFile string) error {
	if !d.Running {
		if d.HTTPBusy {
			return fieldErr("--http-port", fmt.Errorf("port %d is in use by a program other than this nginx (which is not running); stop it, or start nginx, so the CA can reach the challenge", s.HTTPPort))
		}
		p.Standalone = true
		return nil
	}
	var onHTTP []*nginxconf.Server
	for _, sv := range owned {
		if listensOn(sv, s.HTTPPort) {
			onHTTP = append(onHTTP, sv)
		}
	}
	if len(onHTTP) > 0 && allServeWebroot(onHTTP, p.Webroot) {
		return nil
	}
	loc := acmeLocation(p.Webroot)
	edits := map[string][]splice{}
	for _, sv := range onHTTP {
		content, _ := d.Config.FileContent(sv.File)
		if old, ok := existingAcme(sv); ok {
			edits[sv.File] = append(edits[sv.File], splice{old.D.Start, old.D.End, loc})
			continue
		}
		brace := bytes.IndexByte(content[sv.Start:sv.End], '{')
		if brace < 0 {
			return fmt.Errorf("internal error: no '{' in the server block at %s", sv.File)
		}
		at := sv.Start + brace + 1
		edits[sv.File] = append(edits[sv.File], splice{at, at, "\n    " + loc})
	}
	if len(onHTTP) == 0 {
		block := challengeServer(p, s)
		if newFile != "" {
			fcs, err := newSiteChanges(newFile, []byte(block+"\n"))
			if err != nil {
				return err
			}
			p.Prepare = append(p.Prepare, fcs...)
		} else {
			last := owned[len(owned)-1]
			edits[last.File] = append(edits[last.File], splice{last.End, last.End, "\n\n" + block})
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

func acmeLocation(webroot string) string {
	return "location ^~ " + acmePath + " { root " + webroot + "; default_type text/plain; } # httpsify: certificate challenges"
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

func existingAcme(sv *nginxconf.Server) (nginxconf.Location, bool) {
	for _, l := range sv.Locations {
		if isAcme(l) {
			return l, true
		}
	}
	return nginxconf.Location{}, false
}

// allServeWebroot reports whether every block already serves our webroot
// for challenges (our own port-80 block on a rerun).
func allServeWebroot(list []*nginxconf.Server, webroot string) bool {
	for _, sv := range list {
		l, ok := existingAcme(sv)
		if !ok || !strings.Contains(l.Text, "root "+webroot+";") {
			return false
		}
	}
	return true
}
