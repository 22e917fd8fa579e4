package nginx

import (
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/nginxconf"
)

// nginx inherits proxy_set_header (and add_header) from the outer level
// only when a level defines none of its own: one added line would silently
// drop every inherited one. So the X-Forwarded-Proto header httpsify needs
// goes beside the set that is in force, never alone into an empty level.

const (
	forwardedProto = "proxy_set_header X-Forwarded-Proto $scheme;"
	addedNote      = "# added by httpsify"
)

// level is one configuration level with its directives, includes expanded.
type level struct {
	own     []*nginxconf.Directive // written at this level in the edited file
	entries []nginxconf.Entry      // includes expanded
}

func expand(cfg *nginxconf.Config, dirs []*nginxconf.Directive, via string, depth int) []nginxconf.Entry {
	var out []nginxconf.Entry
	for _, d := range dirs {
		if d.Name == "include" && depth < 16 {
			for _, p := range cfg.IncludedFiles(d) {
				out = append(out, expand(cfg, cfg.Directives(p), p, depth+1)...)
			}
			continue
		}
		out = append(out, nginxconf.Entry{D: d, Via: via})
	}
	return out
}

// has reports whether the level sets a directive called name.
func (lv level) has(name string) bool {
	for _, e := range lv.entries {
		if e.D.Name == name {
			return true
		}
	}
	return false
}

// header reports whether the level sets header with directive name.
func (lv level) header(name, header string) bool {
	for _, e := range lv.entries {
		if e.D.Name == name && len(e.D.Args) > 0 && strings.EqualFold(e.D.Args[0], header) {
			return true
		}
	}
	return false
}

// anchor is the last own directive at the level that is, or includes, a
// directive called name: new lines go right after it.
func (lv level) anchor(cfg *nginxconf.Config, name string) *nginxconf.Directive {
	var last *nginxconf.Directive
	for _, d := range lv.own {
		if d.Name == name {
			last = d
		}
		if d.Name == "include" {
			for _, e := range expand(cfg, []*nginxconf.Directive{d}, "", 0) {
				if e.D.Name == name {
					last = d
				}
			}
		}
	}
	return last
}

// forwardedProtoEdits adds X-Forwarded-Proto to every proxied location of
// sv that lacks it, at the level whose header set the location uses.
func forwardedProtoEdits(cfg *nginxconf.Config, sv *nginxconf.Server) (sp []splice, warnings []string) {
	content, _ := cfg.FileContent(sv.File)
	server := level{own: sv.Directives, entries: sv.All}
	var httpSet []*nginxconf.Directive
	for _, d := range cfg.HTTP {
		if d.Name == "proxy_set_header" {
			httpSet = append(httpSet, d)
		}
	}
	done := map[*nginxconf.Directive]bool{}
	var walk func(chain []level, dirs []*nginxconf.Directive)
	walk = func(chain []level, dirs []*nginxconf.Directive) {
		for _, d := range dirs {
			if d.Name != "location" && d.Name != "if" || !d.HasBlock {
				continue
			}
			lv := level{own: d.Block, entries: expand(cfg, d.Block, "", 0)}
			inner := append(append([]level(nil), chain...), lv)
			walk(inner, d.Block)
			if !lv.has("proxy_pass") {
				continue
			}
			// The innermost level with headers of its own is in force.
			var at *nginxconf.Directive
			inForce := -1
			for i := len(inner) - 1; i >= 0; i-- {
				if inner[i].has("proxy_set_header") {
					inForce = i
					break
				}
			}
			switch {
			case inForce >= 0 && inner[inForce].header("proxy_set_header", "X-Forwarded-Proto"):
				continue
			case inForce >= 0:
				at = inner[inForce].anchor(cfg, "proxy_set_header")
				if at == nil {
					warnings = append(warnings, i18n.T("a proxied location takes its headers from a file httpsify does not edit; add `proxy_set_header X-Forwarded-Proto $scheme;` there so the app sees https"))
					continue
				}
				if !done[at] {
					done[at] = true
					sp = append(sp, insertAfter(content, at, addedNote, forwardedProto))
				}
			default:
				// Nothing in this server: the location gets the http
				// level's set repeated (else it would lose it) plus ours.
				at = lv.anchor(cfg, "proxy_pass")
				if at == nil || done[at] {
					continue
				}
				done[at] = true
				var lines []string
				for _, h := range httpSet {
					c, _ := cfg.FileContent(h.File)
					lines = append(lines, string(c[h.Start:h.End]))
				}
				hasProto := false
				for _, h := range httpSet {
					hasProto = hasProto || len(h.Args) > 0 && strings.EqualFold(h.Args[0], "X-Forwarded-Proto")
				}
				if hasProto {
					continue
				}
				sp = append(sp, insertAfter(content, at, addedNote, append(lines, forwardedProto)...))
			}
		}
	}
	walk([]level{server}, sv.Directives)
	return sp, warnings
}

const hstsHeader = `add_header Strict-Transport-Security "max-age=63072000" always;`

// hstsEdits repeat the HSTS header in every location of sv that has
// add_header lines of its own: those locations do not inherit the
// server-level one.
func hstsEdits(cfg *nginxconf.Config, sv *nginxconf.Server) []splice {
	content, _ := cfg.FileContent(sv.File)
	var sp []splice
	var walk func(dirs []*nginxconf.Directive)
	walk = func(dirs []*nginxconf.Directive) {
		for _, d := range dirs {
			if d.Name != "location" && d.Name != "if" || !d.HasBlock {
				continue
			}
			walk(d.Block)
			lv := level{own: d.Block, entries: expand(cfg, d.Block, "", 0)}
			if !lv.has("add_header") || lv.header("add_header", "Strict-Transport-Security") {
				continue
			}
			if at := lv.anchor(cfg, "add_header"); at != nil {
				sp = append(sp, insertAfter(content, at, addedNote, hstsHeader))
			}
		}
	}
	walk(sv.Directives)
	return sp
}
