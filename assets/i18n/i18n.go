// Package i18n is httpsify's one message catalog: English source text is
// the key, the Simplified Chinese texts live in zh-Hans.json beside this
// file (embedded), and go-i18n looks them up.
//
// Wrap every user-visible string where it is written: T for text and
// format strings, Errorf for errors, N to mark a string that is
// translated later (key hints, tables), where it is shown, by Tr. The
// engine's events are translated in provision's emit, so the engine's
// call sites stay plain format strings. Formatting is fmt's, never
// x/text's printer, which would group port numbers as "8,443".
package i18n

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Lang is a language the catalog speaks.
type Lang string

const (
	En Lang = "en" // the source text
	Zh Lang = "zh" // Simplified Chinese
)

//go:embed zh-Hans.json
var zhJSON []byte

var (
	current atomic.Value // Lang

	loadOnce  sync.Once
	localizer *goi18n.Localizer
	bundle    *goi18n.Bundle
	zhTexts   map[string]string
	cache     sync.Map // English key → Chinese text, or "" when missing
)

// Set makes l the language of every message from now on. The commands
// set it once, before anything is shown.
func Set(l Lang) { current.Store(l) }

// Current is the language messages are shown in (English until Set).
func Current() Lang {
	if l, ok := current.Load().(Lang); ok {
		return l
	}
	return En
}

func load() {
	loadOnce.Do(func() {
		// A flat JSON object, English → Chinese, read here rather than by
		// go-i18n's file parser, which would take an English key such as
		// "other" or "description" for one of its reserved fields.
		if err := json.Unmarshal(zhJSON, &zhTexts); err != nil {
			panic("i18n: zh-Hans.json: " + err.Error()) // caught by the catalog tests
		}
		bundle = goi18n.NewBundle(language.English)
		msgs := make([]*goi18n.Message, 0, len(zhTexts))
		for k, v := range zhTexts {
			msgs = append(msgs, &goi18n.Message{ID: k, Other: v})
		}
		if err := bundle.AddMessages(language.Make("zh-Hans"), msgs...); err != nil {
			panic("i18n: zh-Hans.json: " + err.Error())
		}
		localizer = goi18n.NewLocalizer(bundle, "zh-Hans")
	})
}

// Lookup returns the text of key in the current language; the key itself
// when the language is English or no translation exists.
func Lookup(key string) string {
	if Current() != Zh || key == "" {
		return key
	}
	if v, ok := cache.Load(key); ok {
		if s := v.(string); s != "" {
			return s
		}
		return key
	}
	s, ok := zhText(key)
	if !ok {
		cache.Store(key, "")
		return key
	}
	cache.Store(key, s)
	return s
}

// zhText is the catalog's Chinese text of key, and whether it has one.
func zhText(key string) (string, bool) {
	load()
	// Not found is an error (*goi18n.MessageNotFoundErr); the caller
	// then shows the English key.
	s, err := localizer.Localize(&goi18n.LocalizeConfig{MessageID: key})
	if err != nil {
		return "", false
	}
	return s, true
}

// T translates msg and, given args, formats it like fmt.Sprintf. Without
// args the text is returned as it is (a literal % stays).
func T(msg string, args ...any) string {
	s := Lookup(msg)
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Tr translates a string marked with N elsewhere. The same as T; the
// name tells a reader (and the catalog test) that the key is not here.
func Tr(key string) string { return Lookup(key) }

// N marks a string for the catalog without translating it: for values
// built once at start (key hints, tables) and translated when shown.
func N(msg string) string { return msg }

// Errorf is fmt.Errorf with a translated format; %w wraps as usual.
func Errorf(format string, args ...any) error {
	return fmt.Errorf(Lookup(format), args...)
}

// NewError is errors.New for a sentinel error: made when the package
// starts, before the language is chosen, so its text is translated each
// time it is shown. Like errors.New, each call is a distinct error for
// errors.Is.
func NewError(msg string) error { return &sentinel{msg} }

type sentinel struct{ msg string }

func (e *sentinel) Error() string { return Lookup(e.msg) }

// Catalog returns every Chinese text by its English key (tests).
func Catalog() map[string]string {
	load()
	out := make(map[string]string, len(zhTexts))
	for k := range zhTexts {
		out[k], _ = zhText(k)
	}
	return out
}
