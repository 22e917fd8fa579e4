package dnschallenge

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/httpsify/httpsify/assets/dnsproviders"
)

// Credentials are the values of a DNS provider's variables, by the
// provider's own variable names (ALICLOUD_ACCESS_KEY, ...). Values are
// secrets: String, GoString and Redacted never show them, so printing a
// Credentials by mistake leaks nothing.
type Credentials struct {
	provider string // catalog code
	values   map[string]string
}

// UnknownProviderError: the code is not in the catalog.
type UnknownProviderError struct {
	Code    string
	Suggest []string // close codes, for "did you mean"
}

func (e *UnknownProviderError) Error() string {
	msg := fmt.Sprintf("DNS provider %q is not one lego knows (see `httpsify dns-providers`)", e.Code)
	if len(e.Suggest) > 0 {
		msg += "; did you mean " + strings.Join(e.Suggest, ", ") + "?"
	}
	return msg
}

// UnknownVariableError: a variable the provider does not read. Refused
// rather than ignored: it is usually a typo of one it does read, and a
// typo'd secret would otherwise end in a confusing "missing" error.
type UnknownVariableError struct {
	Provider, Name string
	Where          string // "path:line" for a file, empty otherwise
}

func (e *UnknownVariableError) Error() string {
	at := ""
	if e.Where != "" {
		at = e.Where + ": "
	}
	return fmt.Sprintf("%s%s is not a variable of DNS provider %s (see `httpsify dns-providers %s`)", at, e.Name, e.Provider, e.Provider)
}

// InvalidValueError: a value that cannot be passed on (empty, or not a
// single line of text). The value itself is never part of the message.
type InvalidValueError struct {
	Name, Reason string
}

func (e *InvalidValueError) Error() string { return fmt.Sprintf("%s: %s", e.Name, e.Reason) }

// lookupProvider finds code in the catalog (aliases included).
func lookupProvider(code string) (dnsproviders.Provider, error) {
	p, ok := dnsproviders.ByCode(code)
	if !ok {
		return dnsproviders.Provider{}, &UnknownProviderError{Code: code, Suggest: dnsproviders.Suggest(code, 3)}
	}
	return p, nil
}

// variableNames is every variable the catalog lists for p.
func variableNames(p dnsproviders.Provider) map[string]bool {
	names := map[string]bool{}
	for _, v := range slices.Concat(p.Credentials, p.Options) {
		names[v.Name] = true
	}
	return names
}

// NewCredentials checks values against the catalog entry of code: every
// name must be one of its variables, every value a non-empty single line.
func NewCredentials(code string, values map[string]string) (Credentials, error) {
	p, err := lookupProvider(code)
	if err != nil {
		return Credentials{}, err
	}
	known := variableNames(p)
	for _, name := range slices.Sorted(maps.Keys(values)) {
		if !known[name] {
			return Credentials{}, &UnknownVariableError{Provider: p.Code, Name: name}
		}
		if err := checkValue(name, values[name]); err != nil {
			return Credentials{}, err
		}
	}
	return Credentials{provider: p.Code, values: maps.Clone(values)}, nil
}

func checkValue(name, v string) error {
	switch {
	case v == "":
		return &InvalidValueError{Name: name, Reason: "empty value (leave the variable out instead)"}
	case !utf8.ValidString(v):
		return &InvalidValueError{Name: name, Reason: "value is not UTF-8 text"}
	case strings.ContainsAny(v, "\x00\r\n"):
		return &InvalidValueError{Name: name, Reason: "value must be a single line"}
	}
	return nil
}

// CredentialsFromEnv takes the provider's variables that are set in
// environ (os.Environ() form); others are ignored, since the environment
// holds much more than credentials.
func CredentialsFromEnv(code string, environ []string) (Credentials, error) {
	p, err := lookupProvider(code)
	if err != nil {
		return Credentials{}, err
	}
	known := variableNames(p)
	values := map[string]string{}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if ok && known[k] && v != "" {
			values[k] = v
		}
	}
	return NewCredentials(p.Code, values)
}

// Provider is the catalog code the credentials belong to.
func (c Credentials) Provider() string { return c.provider }

// Names lists the variables set, sorted.
func (c Credentials) Names() []string { return slices.Sorted(maps.Keys(c.values)) }

// Len is how many variables are set.
func (c Credentials) Len() int { return len(c.values) }

// Redacted shows each variable for display without its secret: the first
// four characters of values of 16 characters or more (enough to tell two
// keys apart), and the length, e.g. "ALICLOUD_ACCESS_KEY=LTAI…(24 chars)".
// Shorter values show nothing of themselves.
func (c Credentials) Redacted() []string {
	var out []string
	for _, name := range c.Names() {
		v := []rune(c.values[name])
		shown := ""
		if len(v) >= 16 {
			shown = string(v[:4])
		}
		out = append(out, fmt.Sprintf("%s=%s…(%d chars)", name, shown, len(v)))
	}
	return out
}

// String is the redacted view, so that %v of a Credentials is safe.
func (c Credentials) String() string {
	return c.provider + "{" + strings.Join(c.Redacted(), " ") + "}"
}

// GoString keeps %#v safe too.
func (c Credentials) GoString() string { return "dnschallenge.Credentials" + c.String() }

// value is for this package only: building the provider and saving.
func (c Credentials) value(name string) (string, bool) {
	v, ok := c.values[name]
	return v, ok
}

// FormValues is a copy of the values, for one use only: pre-filling the
// wizard's credentials form (masked there) on a rerun, so they can be
// edited. They must never reach a log, an event, an error or the terminal
// in full; everything else uses Redacted.
func (c Credentials) FormValues() map[string]string { return maps.Clone(c.values) }
