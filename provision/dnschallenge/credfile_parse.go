package dnschallenge

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// ParseError is a line of a credentials file that is not KEY=VALUE. It
// never quotes the line: the line may hold a secret.
type ParseError struct {
	Where  string // "path:line"
	Reason string
}

func (e *ParseError) Error() string { return e.Where + ": " + e.Reason }

var varName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// parseCredentials reads KEY=VALUE lines: blank lines and lines starting
// with # are skipped, an optional "export " prefix is allowed (people copy
// these from shell scripts), and the value is taken literally: no $VAR or
// $(...) expansion, ever. A value may be quoted: '...' is literal, "..."
// knows only \" and \\. Nothing may follow the closing quote except spaces
// and a # comment. A name given twice is an error, not "last wins".
func parseCredentials(data []byte, where string) (map[string]string, error) {
	values := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 64*1024)
	for n := 1; sc.Scan(); n++ {
		at := fmt.Sprintf("%s:%d", where, n)
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		name, raw, ok := strings.Cut(line, "=")
		if !ok {
			return nil, &ParseError{Where: at, Reason: "expected KEY=VALUE"}
		}
		name = strings.TrimSpace(name)
		if !varName.MatchString(name) {
			return nil, &ParseError{Where: at, Reason: "the part before = is not a variable name"}
		}
		value, err := parseValue(strings.TrimSpace(raw))
		if err != nil {
			return nil, &ParseError{Where: at, Reason: name + ": " + err.Error()}
		}
		if _, dup := values[name]; dup {
			return nil, &ParseError{Where: at, Reason: name + " is set twice"}
		}
		values[name] = value
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{Where: where, Reason: err.Error()}
	}
	return values, nil
}

func parseValue(raw string) (string, error) {
	if raw == "" {
		return "", fmt.Errorf("empty value")
	}
	switch raw[0] {
	case '\'':
		end := strings.IndexByte(raw[1:], '\'')
		if end < 0 {
			return "", fmt.Errorf("unterminated ' quote")
		}
		return raw[1 : 1+end], afterQuote(raw[2+end:])
	case '"':
		var b strings.Builder
		for i := 1; i < len(raw); i++ {
			switch c := raw[i]; c {
			case '"':
				return b.String(), afterQuote(raw[i+1:])
			case '\\':
				if i+1 < len(raw) && (raw[i+1] == '"' || raw[i+1] == '\\') {
					b.WriteByte(raw[i+1])
					i++
					continue
				}
				b.WriteByte(c)
			default:
				b.WriteByte(c)
			}
		}
		return "", fmt.Errorf("unterminated \" quote")
	}
	// Unquoted: taken as is. A " #" would be a comment in a shell; here
	// it would silently cut a secret, so it is refused instead.
	if strings.Contains(raw, " #") || strings.Contains(raw, "\t#") {
		return "", fmt.Errorf("unquoted value with \" #\": quote the value, or move the comment to its own line")
	}
	return raw, nil
}

func afterQuote(rest string) error {
	rest = strings.TrimSpace(rest)
	if rest == "" || strings.HasPrefix(rest, "#") {
		return nil
	}
	return fmt.Errorf("text after the closing quote")
}

// formatCredentials writes what parseCredentials reads back, every value
// double-quoted.
func formatCredentials(c Credentials) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# DNS provider %s credentials, written by httpsify for renewals.\n", c.provider)
	for _, name := range c.Names() {
		v, _ := c.value(name)
		v = strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v)
		fmt.Fprintf(&b, "%s=\"%s\"\n", name, v)
	}
	return b.Bytes()
}
