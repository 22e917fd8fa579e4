package certbot

import (
	"bufio"
	"bytes"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
)

// RenewalConf is renewal/NAME.conf. Values are as certbot wrote them.
type RenewalConf struct {
	Version    string // certbot version that last wrote the file
	ArchiveDir string
	Cert       string
	PrivKey    string
	Chain      string
	Fullchain  string

	// From [renewalparams].
	Authenticator string   // webroot, nginx, standalone, dns-cloudflare, manual, …
	Installer     string   // nginx, apache, none, or empty
	Server        string   // ACME directory URL
	Account       string   // account ID under accounts/
	KeyType       string   // rsa or ecdsa; empty before certbot 1.10
	WebrootPath   []string // webroot_path, a comma list ("/var/www/html,")
	// WebrootMap is [[webroot_map]]: domain -> webroot.
	WebrootMap map[string]string
	// Params holds every [renewalparams] value, including those above.
	Params map[string]string
}

// parseConf reads the configobj subset certbot writes: "key = value"
// lines, "# comments", [section] and [[subsection]] headers (nesting by
// bracket depth), values optionally in single or double quotes, lists as
// comma-separated values. A generic INI parser would misread
// [[webroot_map]] as a top-level section.
func parseConf(file string, data []byte) (*RenewalConf, error) {
	c := &RenewalConf{WebrootMap: map[string]string{}, Params: map[string]string{}}
	section := []string{} // current section path, e.g. [renewalparams webroot_map]
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 64*1024)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\uFEFF"))
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			depth := len(line) - len(strings.TrimLeft(line, "["))
			name, ok := strings.CutSuffix(strings.TrimLeft(line, "["), strings.Repeat("]", depth))
			name = strings.TrimSpace(name)
			if !ok || name == "" || strings.ContainsAny(name, "[]") || depth > len(section)+1 {
				return nil, &ParseError{file, n, i18n.N("malformed section header")}
			}
			section = append(section[:depth-1], name)
			continue
		}
		key, raw, ok := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			return nil, &ParseError{file, n, i18n.N("expected key = value")}
		}
		val, err := unquote(strings.TrimSpace(raw))
		if err != "" {
			return nil, &ParseError{file, n, err}
		}
		c.set(section, key, val)
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{file, n + 1, i18n.N("line too long")}
	}
	return c, nil
}

// unquote returns a value without its quotes, or without a trailing
// "# comment" when unquoted (configobj's rule).
func unquote(v string) (string, string) {
	if v == "" {
		return "", ""
	}
	if q := v[0]; q == '"' || q == '\'' {
		if strings.HasPrefix(v, `"""`) || strings.HasPrefix(v, "'''") {
			return "", i18n.N("multi-line values are not supported")
		}
		end := strings.IndexByte(v[1:], q)
		if end < 0 {
			return "", i18n.N("unterminated quote")
		}
		rest := strings.TrimSpace(v[end+2:])
		if rest != "" && rest[0] != '#' && rest[0] != ',' {
			return "", i18n.N("text after a quoted value")
		}
		if rest != "" && rest[0] == ',' {
			return v, "" // a quoted list: keep it raw, split by list()
		}
		return v[1 : end+1], ""
	}
	if i := strings.IndexByte(v, '#'); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v, ""
}

func (c *RenewalConf) set(section []string, key, val string) {
	switch {
	case len(section) == 0:
		switch key {
		case "version":
			c.Version = val
		case "archive_dir":
			c.ArchiveDir = val
		case "cert":
			c.Cert = val
		case "privkey":
			c.PrivKey = val
		case "chain":
			c.Chain = val
		case "fullchain":
			c.Fullchain = val
		}
	case len(section) == 1 && section[0] == "renewalparams":
		c.Params[key] = val
		switch key {
		case "authenticator":
			c.Authenticator = val
		case "installer":
			c.Installer = val
		case "server":
			c.Server = val
		case "account":
			c.Account = val
		case "key_type":
			c.KeyType = val
		case "webroot_path":
			c.WebrootPath = list(val)
		}
	case len(section) == 2 && section[0] == "renewalparams" && section[1] == "webroot_map":
		c.WebrootMap[key] = val
	}
}

// list splits a configobj list value: comma-separated, a trailing comma
// marking a one-element list, items optionally quoted.
func list(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if len(item) >= 2 && (item[0] == '"' || item[0] == '\'') && item[len(item)-1] == item[0] {
			item = item[1 : len(item)-1]
		}
		if item != "" {
			out = append(out, item)
		}
	}
	return out
}
