// Package corpus loads the site configurations under
// provision/testdata/corpus: real-world nginx layouts written as templates,
// shared by the planner's unit tests and the end-to-end tests.
package corpus

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"text/template"
)

// Params fill the placeholders of a corpus file (see the README there).
type Params struct {
	Domain    string // the site's name
	HTTPPort  int    // the plain-HTTP port the site listens on
	HTTPSPort int    // the TLS port (layouts that already have TLS use it)
	AdminPort int    // a second, non-HTTP port some layouts also listen on
	AppSocket string // unix socket of a stand-in HTTP app
	AppAddr   string // host:port of a stand-in HTTP app
	PHPSocket string // unix socket for fastcgi_pass (nginx -t does not connect)
	Root      string // static files; also .htpasswd and letsencrypt/ (certbot's webroot)
	LogDir    string // access_log/error_log files go here
	OldCert   string // the provider's certificate the `ssl on` layouts name (PEM)
	OldKey    string // its key
}

// Site is one corpus layout.
type Site struct {
	Name     string // file name without .conf
	Dir      string // where it goes under the nginx conf dir: "sites-enabled" or "conf.d"
	Template string
}

// Dir is the corpus directory in the source tree.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "provision", "testdata", "corpus")
}

// Sites lists every layout, sorted by name.
func Sites() ([]Site, error) {
	paths, err := filepath.Glob(filepath.Join(Dir(), "*.conf"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("corpus: no *.conf in %s", Dir())
	}
	sort.Strings(paths)
	var out []Site
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(filepath.Base(p), ".conf")
		dir := "sites-enabled"
		if strings.HasPrefix(name, "confd-") {
			dir = "conf.d"
		}
		out = append(out, Site{Name: name, Dir: dir, Template: string(b)})
	}
	return out, nil
}

// Path is where the site file goes under confDir; conf.d needs ".conf".
func (s Site) Path(confDir string) string {
	return filepath.Join(confDir, s.Dir, s.Name+".conf")
}

// Render fills the site's placeholders; a missing value is an error.
func (s Site) Render(p Params) (string, error) { return render(s.Name, s.Template, p) }

// Support returns the shared files the layouts include (proxy_params,
// snippets/fastcgi-php.conf, certbot's snippets, h5bp …), rendered, by
// path relative to the nginx conf dir.
func Support(p Params) (map[string]string, error) {
	root := filepath.Join(Dir(), "support")
	out := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		text, err := render(rel, string(b), p)
		out[rel] = text
		return err
	})
	return out, err
}

// WriteSupport writes Support(p) under confDir.
func WriteSupport(confDir string, p Params) error {
	files, err := Support(p)
	if err != nil {
		return err
	}
	for rel, text := range files {
		path := filepath.Join(confDir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func render(name, text string, p Params) (string, error) {
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", fmt.Errorf("corpus %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, p); err != nil {
		return "", fmt.Errorf("corpus %s: %w", name, err)
	}
	return b.String(), nil
}
