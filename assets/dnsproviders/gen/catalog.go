package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/BurntSushi/toml"

	"github.com/httpsify/httpsify/assets/dnsproviders"
)

// legoTOML is the part of a provider's .toml the catalog keeps; the rest
// (examples, links, long notes) is on lego's documentation page.
type legoTOML struct {
	Name          string
	Code          string
	Aliases       []string
	URL           string
	Description   string
	Configuration struct {
		Credentials map[string]string
		Additional  map[string]string
	}
}

var (
	// Codes end up on command lines and in file names: anything else is
	// a surprise worth stopping the generator for.
	codeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	// Variables become environment variables (a few are lower-case, such
	// as oraclecloud's TF_VAR_region). Keys that are not variable names
	// are notes (azure's 'instance metadata service').
	envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// buildCatalog reads every providers/dns/*/*.toml under the module dir.
func buildCatalog(moduleDir, version string) (dnsproviders.Catalog, error) {
	files, err := filepath.Glob(filepath.Join(moduleDir, "providers", "dns", "*", "*.toml"))
	if err != nil {
		return dnsproviders.Catalog{}, err
	}
	if len(files) == 0 {
		return dnsproviders.Catalog{}, fmt.Errorf("no providers/dns/*/*.toml in %s", moduleDir)
	}
	c := dnsproviders.Catalog{Lego: version}
	owner := map[string]string{} // code or alias -> file that claims it
	for _, f := range files {
		p, err := readProvider(f)
		if err != nil {
			return dnsproviders.Catalog{}, fmt.Errorf("%s: %w", f, err)
		}
		for _, code := range append([]string{p.Code}, p.Aliases...) {
			if prev, dup := owner[code]; dup {
				return dnsproviders.Catalog{}, fmt.Errorf("%s: code %q is also claimed by %s", f, code, prev)
			}
			owner[code] = f
		}
		c.Providers = append(c.Providers, p)
	}
	sort.Slice(c.Providers, func(i, j int) bool { return c.Providers[i].Code < c.Providers[j].Code })
	return c, nil
}

func readProvider(file string) (dnsproviders.Provider, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return dnsproviders.Provider{}, err
	}
	var t legoTOML
	md, err := toml.Decode(string(b), &t)
	if err != nil {
		return dnsproviders.Provider{}, err
	}
	p := dnsproviders.Provider{
		Code:        t.Code,
		Name:        oneLine(t.Name),
		URL:         webURL(t.URL),
		Aliases:     t.Aliases,
		Description: paragraphs(t.Description),
		Credentials: []dnsproviders.Variable{},
		Options:     []dnsproviders.Variable{},
	}
	if !codeRE.MatchString(p.Code) {
		return p, fmt.Errorf("code %q is not lower-case letters, digits and dashes", p.Code)
	}
	for _, a := range p.Aliases {
		if !codeRE.MatchString(a) {
			return p, fmt.Errorf("alias %q is not lower-case letters, digits and dashes", a)
		}
	}
	if p.Name == "" {
		return p, fmt.Errorf("provider %s has no name", p.Code)
	}
	// TOML tables decode into maps; the file's order (which lego chose:
	// the main credentials first) comes from the decoder's key list.
	for _, k := range md.Keys() {
		if len(k) != 3 || k[0] != "Configuration" {
			continue
		}
		var list *[]dnsproviders.Variable
		var desc string
		switch k[1] {
		case "Credentials":
			list, desc = &p.Credentials, t.Configuration.Credentials[k[2]]
		case "Additional":
			list, desc = &p.Options, t.Configuration.Additional[k[2]]
		default:
			continue
		}
		if !envNameRE.MatchString(k[2]) {
			p.Notes = append(p.Notes, oneLine(desc))
			continue
		}
		*list = append(*list, dnsproviders.Variable{Name: k[2], Description: oneLine(desc)})
	}
	return p, nil
}

// webURL keeps absolute http(s) URLs only: a few providers give a path on
// lego's site instead ("/dns/exec"), which means nothing in a terminal;
// DocsURL covers those.
func webURL(s string) string {
	u, err := url.Parse(oneLine(s))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return u.String()
}

// encode writes the catalog the same way every time: indented, HTML
// characters left alone (descriptions hold "&" and "<"), final newline.
func encode(c dnsproviders.Catalog) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
