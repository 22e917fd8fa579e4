package i18n

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// TestEveryMessageHasChinese: every key the code passes to the catalog
// (i18n.T, i18n.Errorf, i18n.N and the engine's emit/Emit formats) has a
// Chinese text. A new English string without one fails here, naming the
// file and line.
func TestEveryMessageHasChinese(t *testing.T) {
	uses, nonLiteral, err := Extract(moduleRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(uses) < 50 {
		t.Fatalf("found only %d messages: the extractor no longer sees the call sites", len(uses))
	}
	cat := Catalog()
	missing := map[string]string{}
	for _, u := range uses {
		if _, ok := cat[u.Key]; !ok && NeedsText(u.Key) {
			missing[u.Key] = u.Pos
		}
	}
	keys := make([]string, 0, len(missing))
	for k := range missing {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Errorf("%s: no Chinese text for %q", missing[k], k)
	}
	for _, p := range nonLiteral {
		t.Errorf("%s: the catalog key is not a literal (mark it with i18n.N and show it with i18n.Tr)", p)
	}
	t.Logf("%d call sites, %d distinct messages in the catalog", len(uses), len(cat))
}

// TestChineseKeepsPlaceholders: a Chinese text has the same fmt verbs
// for the same arguments as its English key (it may reorder them with
// %[n]s), so no value is lost, doubled or printed with the wrong verb.
func TestChineseKeepsPlaceholders(t *testing.T) {
	for en, zh := range Catalog() {
		if got, want := Verbs(zh), Verbs(en); !slices.Equal(got, want) {
			t.Errorf("%q → %q: placeholders %v, want %v", en, zh, got, want)
		}
		if strings.TrimSpace(zh) == "" {
			t.Errorf("%q has an empty Chinese text", en)
		}
		if strings.Contains(zh, "{{") {
			t.Errorf("%q → %q: {{ would be run as a go-i18n template", en, zh)
		}
	}
}

// TestCatalogParses: the embedded file is one flat JSON object of
// strings, and every entry of it reaches the catalog.
func TestCatalogParses(t *testing.T) {
	var raw map[string]string
	if err := json.Unmarshal(zhJSON, &raw); err != nil {
		t.Fatal(err)
	}
	if got := len(Catalog()); got != len(raw) {
		t.Fatalf("catalog has %d messages, the file %d", got, len(raw))
	}
}

func TestVerbs(t *testing.T) {
	for _, c := range []struct {
		en, zh string
		same   bool
	}{
		{"%s is live (%.1fs)", "%s 已上线（%.1f 秒）", true},
		{"copy %s to %s", "把 %[2]s 换成 %[1]s", true},
		{"%d of %s", "%[2]d 的 %[1]s", false},
		{"copy %s to %s", "从 %[1]s 复制到 %[2]s", true},
		{"%d of %d", "第 %d 步", false},
		{"%s: %d", "%s：%s", false},
		{"100%% done %v", "完成 100%% %v", true},
		{"%-8s %s", "%s %s", true},
	} {
		if got := slices.Equal(Verbs(c.en), Verbs(c.zh)); got != c.same {
			t.Errorf("%q vs %q: same=%v, want %v (%v vs %v)", c.en, c.zh, got, c.same, Verbs(c.en), Verbs(c.zh))
		}
	}
}

func TestLookupFollowsLanguage(t *testing.T) {
	defer Set(Current())
	zhTexts := Catalog()
	var key string
	for k := range zhTexts {
		key = k
		break
	}
	if key == "" {
		t.Fatal("empty catalog")
	}
	Set(En)
	if got := T(key); got != key {
		t.Fatalf("English: %q, want the key", got)
	}
	Set(Zh)
	if got := T(key); got != zhTexts[key] {
		t.Fatalf("Chinese: %q, want %q", got, zhTexts[key])
	}
	if got := T("no such message %d", 8443); got != "no such message 8443" {
		t.Fatalf("missing text: %q (numbers must not be grouped)", got)
	}
}

// The extractor sees every kind of call site, literal or concatenated,
// and reports a key that is not a literal; tests and testdata are left
// out. Without this, a broken extractor would let the catalog test pass.
func TestExtractFindsCallSites(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a/a.go", `package a
func f(s sink, v string) {
	_ = i18n.T("plain %s", "x")
	_ = i18n.Errorf("joined " + "text")
	_ = i18n.N("marked")
	_ = i18n.NewError("a sentinel")
	s.emit(1, 2, "event %d", 3)
	emit(1, 2, "bare event")
	warn(1, true, "a warning %s", v)
	_ = i18n.T(v)
	_ = i18n.Tr(v)
	_ = fmt.Errorf("not ours")
}`)
	write("a/a_test.go", `package a
var _ = i18n.T("in a test")`)
	write("testdata/x.go", `package x
var _ = i18n.T("in testdata")`)
	uses, nonLiteral, err := Extract(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range uses {
		got = append(got, u.Key)
	}
	want := []string{"plain %s", "joined text", "marked", "a sentinel", "event %d", "bare event", "a warning %s"}
	if !slices.Equal(got, want) {
		t.Fatalf("keys %q, want %q", got, want)
	}
	if len(nonLiteral) != 1 || !strings.HasPrefix(nonLiteral[0], filepath.Join("a", "a.go")+":") {
		t.Fatalf("non-literal keys at %v, want the one i18n.T(v)", nonLiteral)
	}
}

// A sentinel made before the language is chosen is shown in the language
// chosen later, and stays itself for errors.Is.
func TestNewErrorTranslatedWhenShown(t *testing.T) {
	defer Set(Current())
	Set(En)
	const key = "no site httpsify manages has this name"
	zh, ok := Catalog()[key]
	if !ok {
		t.Fatalf("%q is not in the catalog", key)
	}
	e := NewError(key)
	wrapped := Errorf("renew: %w", e)
	if e.Error() != key {
		t.Fatalf("English: %q", e.Error())
	}
	Set(Zh)
	if e.Error() != zh {
		t.Fatalf("Chinese: %q, want %q", e.Error(), zh)
	}
	if !errors.Is(wrapped, e) || errors.Is(wrapped, NewError(key)) {
		t.Fatal("errors.Is does not tell this sentinel from another with the same text")
	}
}
