// Package dnsproviders is the catalog of the DNS providers lego can solve
// DNS-01 challenges with: their codes, names and the environment variables
// each one reads. It is generated from the pinned lego module's own
// metadata (catalog.json, by ./gen) and imports none of lego's provider
// packages, so listing providers costs the binary the catalog's 200 KB,
// not the tens of megabytes the providers themselves weigh.
package dnsproviders

//go:generate go run ./gen -o catalog.json

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Provider is one lego DNS provider. Every string comes from lego's
// metadata and was stripped of control characters and escape sequences
// when the catalog was generated, so it is safe to print to a terminal.
type Provider struct {
	Code    string   `json:"code"`              // what lego calls it: "alidns", "cloudflare"
	Name    string   `json:"name"`              // display name: "Alibaba Cloud DNS"
	URL     string   `json:"url,omitempty"`     // the provider's site (absolute http(s) URLs only)
	Aliases []string `json:"aliases,omitempty"` // other codes lego accepts for it
	// Description is lego's note on the provider, often empty; lines are
	// separated by "\n", paragraphs by a blank line.
	Description string `json:"description,omitempty"`
	// Credentials are the variables lego lists as credentials. They are not
	// all required: lego lists alternatives side by side (an API token or a
	// key and email), and marks optional ones in the description.
	Credentials []Variable `json:"credentials"`
	// Options are lego's "additional" variables: timeouts, TTL, region, ...
	Options []Variable `json:"options"`
	// Notes are entries lego puts among the variables that are not
	// variables (azure: how credentials are found when none are set).
	Notes []string `json:"notes,omitempty"`
}

// Variable is an environment variable a provider reads, in lego's order.
type Variable struct {
	Name        string `json:"name"` // e.g. ALICLOUD_ACCESS_KEY
	Description string `json:"description"`
}

// Catalog is the generated file's content.
type Catalog struct {
	Lego      string     `json:"lego"` // module version it was generated from
	Providers []Provider `json:"providers"`
}

// DocsURL is lego's documentation page for the provider, which has the
// details the catalog leaves out (examples, setup notes).
func (p Provider) DocsURL() string {
	return "https://go-acme.github.io/lego/dns/" + p.Code + "/"
}

//go:embed catalog.json
var catalogJSON []byte

// The catalog is parsed on first use rather than at init, so the generator
// (which shares these types) still runs when catalog.json is broken.
var catalog = sync.OnceValue(func() Catalog {
	var c Catalog
	if err := json.Unmarshal(catalogJSON, &c); err != nil {
		panic(fmt.Sprintf("dnsproviders: embedded catalog.json: %v (run go generate ./assets/dnsproviders)", err))
	}
	return c
})

var byCode = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for i, p := range catalog().Providers {
		m[p.Code] = i
		for _, a := range p.Aliases {
			m[a] = i
		}
	}
	return m
})

// LegoVersion is the lego module version the catalog was generated from.
func LegoVersion() string { return catalog().Lego }

// All returns every provider, sorted by code. The slice is a copy.
func All() []Provider {
	return clone(catalog().Providers)
}

// ByCode finds a provider by its code or one of its aliases, ignoring case
// and surrounding space. The Provider returned carries the canonical code.
func ByCode(code string) (Provider, bool) {
	i, ok := byCode()[strings.ToLower(strings.TrimSpace(code))]
	if !ok {
		return Provider{}, false
	}
	return clone(catalog().Providers[i : i+1])[0], true
}

// Ordered returns every provider in the order a list should show them: the
// featured ones first (in Featured order), then the rest by code.
func Ordered() []Provider {
	out := Featured()
	seen := map[string]bool{}
	for _, p := range out {
		seen[p.Code] = true
	}
	for _, p := range All() {
		if !seen[p.Code] {
			out = append(out, p)
		}
	}
	return out
}

// clone copies providers deeply enough that callers cannot change the
// catalog through the slices they get.
func clone(ps []Provider) []Provider {
	out := make([]Provider, len(ps))
	for i, p := range ps {
		p.Aliases = append([]string(nil), p.Aliases...)
		p.Credentials = append([]Variable(nil), p.Credentials...)
		p.Options = append([]Variable(nil), p.Options...)
		p.Notes = append([]string(nil), p.Notes...)
		out[i] = p
	}
	return out
}

// Suggest returns up to n codes close to an unknown one, best first: codes
// or names that contain what was typed ("tencent" -> tencentcloud), then
// codes within a few typos of it ("cloudfare" -> cloudflare) or of their
// beginning ("tencnet" -> tencentcloud). A known nickname ("aliyun") comes
// first.
func Suggest(code string, n int) []string {
	q := strings.ToLower(strings.TrimSpace(code))
	if q == "" || n <= 0 {
		return nil
	}
	limit := max(1, len(q)/3)
	type cand struct {
		code string
		rank int
	}
	var cands []cand
	if c, ok := nicknames[q]; ok {
		cands = append(cands, cand{c, -1})
	}
	for _, p := range catalog().Providers {
		if len(cands) > 0 && cands[0].rank < 0 && cands[0].code == p.Code {
			continue
		}
		best := -1
		for _, c := range append([]string{p.Code}, p.Aliases...) {
			r := -1
			switch {
			// A code inside what was typed counts only when it is long
			// enough not to match by chance ("ovh" is in many words).
			case strings.Contains(c, q) || len(c) >= 5 && strings.Contains(q, c):
				r = 0
			case strings.Contains(strings.ToLower(p.Name), q):
				r = 1
			default:
				d := editDistance(q, c)
				if len(c) > len(q) {
					d = min(d, editDistance(q, c[:len(q)])+1)
				}
				if d <= limit {
					r = 1 + d
				}
			}
			if r >= 0 && (best < 0 || r < best) {
				best = r
			}
		}
		if best >= 0 {
			cands = append(cands, cand{p.Code, best})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].rank < cands[j].rank })
	var out []string
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, c.code)
	}
	return out
}

// editDistance counts the single-character insertions, deletions,
// substitutions and swaps of neighbours that turn a into b (optimal string
// alignment distance), in bytes: codes are ASCII.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
