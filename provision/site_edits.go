package provision

import (
	"fmt"
	"sort"
	"strings"

	"github.com/httpsify/httpsify/provision/nginxconf"
)

// siteEdits replaces the blocks that answer our names with the rendered
// site. Our previous render (its map and both servers) is one contiguous
// unit, so it is replaced as one: reruns give byte-identical files.
func siteEdits(cfg *nginxconf.Config, owned []*nginxconf.Server, mapVar, site string) map[string][]splice {
	byFile := map[string][]splice{}
	for _, sv := range owned {
		text := ""
		if !sv.Managed {
			text = fmt.Sprintf("# httpsify: the server block for %s moved to %s", strings.Join(sv.Names, " "), owned[0].File)
		}
		byFile[sv.File] = append(byFile[sv.File], splice{sv.Start, sv.End, text})
	}
	for _, d := range cfg.HTTP {
		if d.Name == "map" && len(d.Args) == 2 && d.Args[1] == "$"+mapVar {
			byFile[d.File] = append(byFile[d.File], splice{d.Start, d.End, ""})
		}
	}
	out := map[string][]splice{}
	for file, sp := range byFile {
		content, _ := cfg.FileContent(file)
		merged := mergeAdjacent(content, sp)
		for _, m := range merged {
			if file == owned[0].File && m.Start <= owned[0].Start && owned[0].End <= m.End {
				m.Text = site
			}
			out[file] = append(out[file], m)
		}
	}
	return out
}

// mergeAdjacent joins ranges separated only by whitespace. A merged
// range keeps the text of its unmanaged parts (the "moved" notes).
func mergeAdjacent(content []byte, sp []splice) []splice {
	sort.Slice(sp, func(i, j int) bool { return sp[i].Start < sp[j].Start })
	var out []splice
	for _, x := range sp {
		if n := len(out); n > 0 && strings.TrimSpace(string(content[out[n-1].End:x.Start])) == "" {
			last := &out[n-1]
			last.End = x.End
			if x.Text != "" {
				last.Text = strings.TrimSpace(last.Text + "\n" + x.Text)
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

// overlaps reports whether x intersects any of sp.
func overlaps(sp []splice, x splice) bool {
	for _, y := range sp {
		if x.Start < y.End && y.Start < x.End {
			return true
		}
	}
	return false
}

func sortServers(list []*nginxconf.Server, order map[*nginxconf.Server]int) {
	sort.SliceStable(list, func(i, j int) bool { return order[list[i]] < order[list[j]] })
}

func sortChanges(list []FileChange) {
	sort.SliceStable(list, func(i, j int) bool { return list[i].Path < list[j].Path })
}
