package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/httpsify/httpsify/assets/dnsproviders"
)

const (
	knownSecret = "S3cr3t-Zq9wX7vB2nM4kL8"
	knownKeyID  = "LTAI5tKnownKeyId00"
)

func provider(t *testing.T, code string) dnsproviders.Provider {
	t.Helper()
	p, ok := dnsproviders.ByCode(code)
	if !ok {
		t.Fatalf("no provider %s in the catalog", code)
	}
	return p
}

func strip(c component, w, h int) string { return ansi.Strip(c.View(w, h)) }

// A secret shows as a count of characters, focused or not; the reveal
// key shows it while its field has focus, and moving on hides it again.
func TestCredentialsSecretMaskedAndReveal(t *testing.T) {
	c := NewCredentialsForm(NewTheme(false), Keys, provider(t, "tencentcloud"), nil)
	press(c, typed(knownSecret)...) // TENCENTCLOUD_SECRET_ID
	v := strip(c, 80, 24)
	if strings.Contains(v, knownSecret) || !strings.Contains(v, "22 characters") {
		t.Fatalf("typed secret not masked with its length:\n%s", v)
	}
	press(c, tea.KeyMsg{Type: tea.KeyCtrlR})
	if v := strip(c, 80, 24); !strings.Contains(v, knownSecret) {
		t.Fatalf("ctrl+r did not reveal:\n%s", v)
	}
	press(c, keyTab)
	v = strip(c, 80, 24)
	if strings.Contains(v, knownSecret) || !strings.Contains(v, "••••••••  22 characters") {
		t.Fatalf("leaving the field did not hide the secret:\n%s", v)
	}
	// The timer hides it too.
	press(c, tea.KeyMsg{Type: tea.KeyShiftTab}, tea.KeyMsg{Type: tea.KeyCtrlR})
	c.Update(revealEndMsg{gen: c.revealGen})
	if v := strip(c, 80, 24); strings.Contains(v, knownSecret) {
		t.Fatalf("the reveal did not end:\n%s", v)
	}
	// A non-secret field has nothing to reveal and shows its value.
	c = NewCredentialsForm(NewTheme(false), Keys, provider(t, "cloudflare"), nil)
	press(c, typed("me@example.com")...)
	press(c, keyTab)
	if v := strip(c, 80, 40); !strings.Contains(v, "me@example.com") {
		t.Fatalf("email not shown:\n%s", v)
	}
}

// Enter needs at least one credential lego does not call optional; then
// it emits the values entered, and only those.
func TestCredentialsAtLeastOne(t *testing.T) {
	c := NewCredentialsForm(NewTheme(false), Keys, provider(t, "alidns"), nil)
	if got := press(c, keyEnter); len(got) != 0 {
		t.Fatalf("empty form submitted: %v", got)
	}
	if v := strip(c, 80, 24); !strings.Contains(v, "✗ Alibaba Cloud DNS credentials: enter at least one of ALICLOUD_RAM_ROLE") {
		t.Fatalf("no refusal naming the fields:\n%s", v)
	}
	// The STS token alone is optional: not enough.
	press(c, keyTab, keyTab, keyTab)
	press(c, typed("tok")...)
	if got := press(c, keyEnter); len(got) != 0 {
		t.Fatalf("an optional credential alone submitted: %v", got)
	}
	if c.form.Focused() != c.creds[0].Field {
		t.Fatal("the refusal did not go to the first credential")
	}
	press(c, typed("my-role")...)
	got := press(c, keyEnter)
	want := CredentialsMsg{Code: "alidns", Values: map[string]string{"ALICLOUD_RAM_ROLE": "my-role", "ALICLOUD_SECURITY_TOKEN": "tok"}}
	if len(got) != 1 || !sameMsg(got[0], want) {
		t.Fatalf("emitted %#v, want %#v", got, want)
	}
	// A provider whose notes give lego another way needs none (azure:
	// instance metadata); one without credentials too.
	for _, code := range []string{"azure", "exec"} {
		c := NewCredentialsForm(NewTheme(false), Keys, provider(t, code), nil)
		if got := press(c, keyEnter); len(got) != 1 {
			t.Fatalf("%s: empty form refused", code)
		}
	}
}

func sameMsg(a tea.Msg, b CredentialsMsg) bool {
	m, ok := a.(CredentialsMsg)
	return ok && m.Code == b.Code && sameValues(m.Values, b.Values)
}

// Options stay hidden until ctrl+o; hidden options are not sent.
func TestCredentialsMoreOptions(t *testing.T) {
	c := NewCredentialsForm(NewTheme(false), Keys, provider(t, "alidns"), map[string]string{"ALICLOUD_RAM_ROLE": "r"})
	if strings.Contains(strip(c, 120, 40), "ALICLOUD_REGION_ID") {
		t.Fatal("options shown before the toggle")
	}
	press(c, tea.KeyMsg{Type: tea.KeyCtrlO})
	if c.form.Focused().Title != "ALICLOUD_REGION_ID" || !strings.Contains(strip(c, 120, 40), "Region ID (Default: cn-hangzhou)") {
		t.Fatalf("ctrl+o did not open the options:\n%s", strip(c, 120, 40))
	}
	press(c, typed("cn-shanghai")...)
	got := press(c, keyEnter)
	if len(got) != 1 || got[0].(CredentialsMsg).Values["ALICLOUD_REGION_ID"] != "cn-shanghai" {
		t.Fatalf("option not sent: %#v", got)
	}
	press(c, tea.KeyMsg{Type: tea.KeyCtrlO})
	if c.form.Focused().Title != "ALICLOUD_RAM_ROLE" {
		t.Fatal("closing the options left focus on a hidden field")
	}
	got = press(c, keyEnter)
	if _, ok := got[0].(CredentialsMsg).Values["ALICLOUD_REGION_ID"]; ok {
		t.Fatal("a hidden option was sent")
	}
	// Options only (hyperone): closing them leaves no field focused, and
	// Enter still finishes.
	c = NewCredentialsForm(NewTheme(false), Keys, provider(t, "hyperone"), nil)
	press(c, tea.KeyMsg{Type: tea.KeyCtrlO}, tea.KeyMsg{Type: tea.KeyCtrlO})
	if c.form.Focused() != nil {
		t.Fatal("a hidden option kept focus")
	}
	if got := press(c, keyEnter); len(got) != 1 {
		t.Fatalf("hyperone: Enter gave %v", got)
	}
	// Stored options open the toggle on a rerun.
	c = NewCredentialsForm(NewTheme(false), Keys, provider(t, "alidns"), map[string]string{"ALICLOUD_TTL": "600"})
	if !c.more.Yes {
		t.Fatal("a stored option is hidden on rerun")
	}
}

// ctrl+t runs Check in a command with a spinner, then shows ✓ or the
// error, cleaned of escapes and of the secrets it may quote.
func TestCredentialsCheck(t *testing.T) {
	p := provider(t, "tencentcloud")
	existing := map[string]string{"TENCENTCLOUD_SECRET_ID": knownKeyID, "TENCENTCLOUD_SECRET_KEY": knownSecret}
	c := NewCredentialsForm(NewTheme(false), Keys, p, existing)
	var seen map[string]string
	c.Check = func(v map[string]string) error {
		seen = v
		return errors.New("AuthFailure: key " + knownSecret + " is wrong\x1b[2J")
	}
	cmd := c.Update(tea.KeyMsg{Type: tea.KeyCtrlT})
	if v := strip(c, 80, 24); !strings.Contains(v, "Checking the credentials with Tencent Cloud DNS…") {
		t.Fatalf("no spinner line while checking:\n%s", v)
	}
	for _, m := range runBatch(cmd) {
		c.Update(m)
	}
	if seen[("TENCENTCLOUD_SECRET_KEY")] != knownSecret {
		t.Fatalf("Check got %v", seen)
	}
	v := c.View(80, 24)
	if strings.Contains(v, knownSecret) || strings.Contains(v, "\x1b[2J") || !strings.Contains(ansi.Strip(v), "✗ AuthFailure: key [hidden] is wrong") {
		t.Fatalf("error not redacted and cleaned:\n%q", v)
	}
	// Typing after a verdict drops it: it was for other values.
	press(c, runes("x"))
	if strings.Contains(strip(c, 80, 24), "AuthFailure") {
		t.Fatal("a stale verdict stayed after an edit")
	}
	c.Check = func(map[string]string) error { return nil }
	for _, m := range runBatch(c.Update(tea.KeyMsg{Type: tea.KeyCtrlT})) {
		c.Update(m)
	}
	if v := strip(c, 80, 24); !strings.Contains(v, "✓ Tencent Cloud DNS accepted the credentials.") {
		t.Fatalf("no ✓:\n%s", v)
	}
}

// runBatch runs a command and the commands of a batch, skipping ticks.
func runBatch(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	m := runQuick(cmd)
	if b, ok := m.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, runBatch(c)...)
		}
		return out
	}
	if m == nil {
		return nil
	}
	return []tea.Msg{m}
}

func TestCredentialsEscBack(t *testing.T) {
	c := NewCredentialsForm(NewTheme(false), Keys, provider(t, "cloudflare"), nil)
	if got := press(c, keyEsc); len(got) != 1 || got[0] != (CredentialsBackMsg{}) {
		t.Fatalf("Esc gave %v", got)
	}
}

// As a person would, through a program: type a token, Enter.
func TestCredentialsTeatest(t *testing.T) {
	c := NewCredentialsForm(NewTheme(false), Keys, provider(t, "cloudflare"), nil)
	m := &harness{c: c, stop: func(msg tea.Msg) bool { _, ok := msg.(CredentialsMsg); return ok }}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitText(t, tm, "CF_API_EMAIL")
	tm.Send(keyTab)
	tm.Send(keyTab)
	tm.Type("tok-123")
	waitText(t, tm, "7 characters")
	tm.Send(keyEnter)
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(3*time.Second)).(*harness)
	got := fm.got[len(fm.got)-1].(CredentialsMsg)
	if got.Values["CF_DNS_API_TOKEN"] != "tok-123" || len(got.Values) != 1 {
		t.Fatalf("values %v", got.Values)
	}
}

func TestCredentialsGolden(t *testing.T) {
	for _, sz := range goldenSizes {
		t.Run("alidns-empty-"+sizeName(sz.w, sz.h), func(t *testing.T) {
			c := NewCredentialsForm(NewTheme(false), Keys, provider(t, "alidns"), nil)
			goldenView(t, c.View(sz.w, sz.h))
		})
		t.Run("alidns-rerun-options-"+sizeName(sz.w, sz.h), func(t *testing.T) {
			c := NewCredentialsForm(NewTheme(false), Keys, provider(t, "alidns"),
				map[string]string{"ALICLOUD_ACCESS_KEY": knownKeyID, "ALICLOUD_SECRET_KEY": knownSecret, "ALICLOUD_REGION_ID": "cn-shanghai"})
			press(c, keyTab)
			goldenView(t, c.View(sz.w, sz.h))
		})
		t.Run("cloudflare-checked-"+sizeName(sz.w, sz.h), func(t *testing.T) {
			c := NewCredentialsForm(NewTheme(false), Keys, provider(t, "cloudflare"), map[string]string{"CF_DNS_API_TOKEN": knownSecret})
			c.Check = func(map[string]string) error { return errors.New("Invalid API Token (code 1000)") }
			for _, m := range runBatch(c.Update(tea.KeyMsg{Type: tea.KeyCtrlT})) {
				c.Update(m)
			}
			goldenView(t, c.View(sz.w, sz.h))
		})
	}
}

// Accessible mode walks the same fields: secrets prompted masked, the
// at-least-one rule, then the check.
func TestCredentialsAccessible(t *testing.T) {
	c := NewCredentialsForm(NewTheme(false), Keys, provider(t, "tencentcloud"), nil)
	checks := 0
	c.Check = func(v map[string]string) error {
		checks++
		if v["TENCENTCLOUD_SECRET_KEY"] != knownSecret {
			return errors.New("wrong")
		}
		return nil
	}
	var out strings.Builder
	// Nothing at first (refused), then the ID and key, no options.
	in := "\n\nn\n" + knownKeyID + "\n" + knownSecret + "\nn\n"
	if err := c.Ask(strings.NewReader(in), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if checks != 1 || c.Values()["TENCENTCLOUD_SECRET_ID"] != knownKeyID {
		t.Fatalf("checks %d values %v\n%s", checks, c.Values(), out.String())
	}
	o := out.String()
	if !strings.Contains(o, "enter at least one of TENCENTCLOUD_SECRET_ID") || !strings.Contains(o, "✓ Tencent Cloud DNS accepted") {
		t.Fatalf("output:\n%s", o)
	}
	if strings.Contains(o, knownSecret) {
		t.Fatalf("the secret was echoed:\n%s", o)
	}
}
