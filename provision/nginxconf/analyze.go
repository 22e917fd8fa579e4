package nginxconf

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// Config is the whole analysed configuration.
type Config struct {
	Main     string        // path of the main config file (first file of the dump)
	Files    []File        // as given to Analyze
	Servers  []*Server     // every server block inside http { } in include-resolved order
	HTTP     []*Directive  // http-level directives after include expansion (include lines themselves are in Includes)
	Includes []IncludeSite // the include directives at http level
	// Opaque are the files (other than the main one) that do not parse
	// as plain nginx syntax, e.g. Lua blocks. nginx accepted them, so the
	// rest of the configuration is still read; what they hold is unknown,
	// and the engine must not touch a site they might be part of.
	Opaque []OpaqueFile

	parsed map[string]*parsedFile
}

// OpaqueFile is a dumped file httpsify cannot read, with the reason.
type OpaqueFile struct {
	Path string
	Err  error
}

// IncludeSite is one http-level include: the pattern as written, the pattern
// resolved against the main config's directory (and cleaned), and the file
// holding the directive.
type IncludeSite struct{ Pattern, Abs, File string }

type parsedFile struct {
	dirs     []*Directive
	comments []comment
	opaque   error // set when the file did not parse; dirs is then empty
}

// maxIncludeDepth stops include cycles in hand-made input; nginx itself
// would have failed on such a config, so a real dump never gets here.
const maxIncludeDepth = 64

// Analyze parses every dumped file and walks the configuration from
// files[0] the way nginx does, expanding includes in place. Only the main
// file must parse; any other that does not is listed in Opaque.
func Analyze(files []File) (*Config, error) {
	if len(files) == 0 {
		return nil, errors.New("no configuration files")
	}
	c := &Config{Main: files[0].Path, Files: files, parsed: map[string]*parsedFile{}}
	for _, f := range files {
		if _, seen := c.parsed[f.Path]; seen {
			continue // nginx dumps each path once; keep the first
		}
		ds, cs, err := parseFile(f.Path, f.Content)
		if err != nil {
			if f.Path == c.Main {
				return nil, err
			}
			c.parsed[f.Path] = &parsedFile{opaque: err}
			c.Opaque = append(c.Opaque, OpaqueFile{Path: f.Path, Err: err})
			continue
		}
		c.parsed[f.Path] = &parsedFile{dirs: ds, comments: cs}
	}
	if err := c.walkMain(c.parsed[c.Main].dirs, 0); err != nil {
		return nil, err
	}
	return c, nil
}

// FileContent returns the content of a dumped file.
func (c *Config) FileContent(path string) ([]byte, bool) {
	for _, f := range c.Files {
		if f.Path == path {
			return f.Content, true
		}
	}
	return nil, false
}

// walkMain handles the main context: only includes and http matter there;
// stream and mail servers are deliberately ignored.
func (c *Config) walkMain(dirs []*Directive, depth int) error {
	for _, d := range dirs {
		switch {
		case d.Name == "include":
			_, paths, err := c.include(d, depth)
			if err != nil {
				return err
			}
			for _, p := range paths {
				if err := c.walkMain(c.parsed[p].dirs, depth+1); err != nil {
					return err
				}
			}
		case d.Name == "http" && d.HasBlock:
			if err := c.walkHTTP(d.Block, depth); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *Config) walkHTTP(dirs []*Directive, depth int) error {
	for _, d := range dirs {
		if d.Name == "include" {
			abs, paths, err := c.include(d, depth)
			if err != nil {
				return err
			}
			c.Includes = append(c.Includes, IncludeSite{Pattern: d.Args[0], Abs: abs, File: d.File})
			for _, p := range paths {
				if err := c.walkHTTP(c.parsed[p].dirs, depth+1); err != nil {
					return err
				}
			}
			continue
		}
		c.HTTP = append(c.HTTP, d)
		if d.Name == "server" && d.HasBlock {
			s, err := c.newServer(d, depth)
			if err != nil {
				return err
			}
			c.Servers = append(c.Servers, s)
		}
	}
	return nil
}

// include validates an include directive and resolves it to dumped files.
func (c *Config) include(d *Directive, depth int) (abs string, paths []string, err error) {
	if d.HasBlock || len(d.Args) != 1 {
		return "", nil, &ParseError{File: d.File, Line: d.Line, Msg: "include needs exactly one argument and no block"}
	}
	if depth >= maxIncludeDepth {
		return "", nil, &ParseError{File: d.File, Line: d.Line, Msg: "includes nested too deeply (cycle?)"}
	}
	abs, paths, err = c.resolve(d.Args[0])
	if err != nil {
		return "", nil, &ParseError{File: d.File, Line: d.Line, Msg: err.Error()}
	}
	return abs, paths, nil
}

// resolve expands an include pattern to dumped paths. nginx joins a relative
// pattern to the conf prefix (the main file's directory) without cleaning
// it, and dumps files under exactly that name, so the raw join is matched
// first; the cleaned form is returned for display and comparison.
func (c *Config) resolve(pattern string) (abs string, paths []string, err error) {
	raw := pattern
	if !strings.HasPrefix(pattern, "/") {
		raw = strings.TrimSuffix(filepath.Dir(c.Main), "/") + "/" + pattern
	}
	abs = filepath.Clean(raw)
	if !strings.ContainsAny(pattern, "*?[") {
		if _, ok := c.parsed[raw]; ok {
			return abs, []string{raw}, nil
		}
		for _, f := range c.Files {
			if filepath.Clean(f.Path) == abs {
				return abs, []string{f.Path}, nil
			}
		}
		return abs, nil, fmt.Errorf("included file %s is not in the nginx -T dump", raw)
	}
	// A glob that matches nothing is fine for nginx, so no error here.
	for p := range c.parsed {
		ok, err := globMatch(raw, p)
		if err != nil {
			return abs, nil, fmt.Errorf("include pattern %q: %v", pattern, err)
		}
		if ok {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths) // glob(3) sorts; nginx runs in the C locale
	return abs, paths, nil
}

// globMatch is filepath.Match plus glob(3)'s rule that a wildcard does not
// match a leading '.' of a name.
func globMatch(pattern, path string) (bool, error) {
	pp, np := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(pp) != len(np) {
		return false, nil
	}
	for i := range pp {
		if strings.HasPrefix(np[i], ".") && !strings.HasPrefix(pp[i], ".") {
			return false, nil
		}
		ok, err := filepath.Match(pp[i], np[i])
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}
