package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
)

func codes(t *testing.T, q string) []string {
	t.Helper()
	var out []string
	for _, p := range FilterProviders(q) {
		out = append(out, p.Code)
	}
	return out
}

// With nothing typed the audience's providers come first, in the
// catalog's featured order, and lego's stdin "manual" is not listed.
func TestFilterProvidersFeaturedFirst(t *testing.T) {
	got := codes(t, "")
	want := []string{"alidns", "tencentcloud", "huaweicloud", "cloudflare"}
	for i, c := range want {
		if got[i] != c {
			t.Fatalf("row %d is %q, want %q (list starts %v)", i, got[i], c, got[:6])
		}
	}
	for _, c := range got {
		if c == ManualDNS {
			t.Fatal("lego's manual provider is listed; the picker offers its own")
		}
	}
}

func TestFilterProvidersMatches(t *testing.T) {
	for q, want := range map[string]string{
		"aliyun":     "alidns",       // nickname from the catalog
		"ALIBABA":    "alidns",       // name, any case
		"qcloud":     "tencentcloud", // nickname
		"cf":         "cloudflare",   // nickname
		"cloudfare":  "cloudflare",   // near miss
		"dnsupdate":  "rfc2136",      // lego alias
		"Huawei":     "huaweicloud",
		"route 53":   "route53", // name with a space
		"tencentclo": "tencentcloud",
	} {
		got := codes(t, q)
		if len(got) == 0 || got[0] != want {
			t.Errorf("filter %q: first %v, want %s", q, got, want)
		}
	}
	if got := codes(t, "zzzzqqqq"); len(got) != 0 {
		t.Errorf("nonsense matched %v", got)
	}
	// A filter narrows: every hit contains what was typed somewhere.
	for _, p := range FilterProviders("cloud")[:5] {
		if !matches(p, "cloud") {
			t.Errorf("%s listed for cloud but does not contain it", p.Code)
		}
	}
}

func pickerRun(t *testing.T, p *ProviderPicker, w, h int) *teatest.TestModel {
	m := &harness{c: p, stop: func(tea.Msg) bool { return true }}
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
}

func waitText(t *testing.T, tm *teatest.TestModel, s string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains([]byte(ansi.Strip(string(b))), []byte(s))
	}, teatest.WithDuration(3*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

// As a person would: type a nickname, see Alibaba first, press Enter.
func TestProviderPickerTypeAndPick(t *testing.T) {
	p := NewProviderPicker(NewTheme(false), Keys, "")
	tm := pickerRun(t, p, 80, 24)
	waitText(t, tm, "Alibaba Cloud DNS")
	tm.Type("aliyun")
	waitText(t, tm, "aliyun")
	tm.Send(keyEnter)
	m := tm.FinalModel(t, teatest.WithFinalTimeout(3*time.Second)).(*harness)
	if len(m.got) != 1 || m.got[0] != (ProviderPickedMsg{Code: "alidns"}) {
		t.Fatalf("emitted %#v, want alidns", m.got)
	}
}

// ↓ moves; End reaches the manual entry, which Enter picks.
func TestProviderPickerArrowsAndManual(t *testing.T) {
	p := NewProviderPicker(NewTheme(false), Keys, "")
	got := press(p, keyDown, keyDown, keyUp, keyDown, keyEnter)
	if len(got) != 1 || got[0] != (ProviderPickedMsg{Code: "huaweicloud"}) {
		t.Fatalf("↓↓↑↓ Enter gave %#v, want huaweicloud (third)", got)
	}
	p = NewProviderPicker(NewTheme(false), Keys, "")
	got = press(p, tea.KeyMsg{Type: tea.KeyEnd}, keyDown, keyEnter)
	if len(got) != 1 || got[0] != (ProviderPickedMsg{Code: ManualDNS}) {
		t.Fatalf("End Enter gave %#v, want manual", got)
	}
	// No match: the cursor is on the manual entry, still offered.
	p = NewProviderPicker(NewTheme(false), Keys, "")
	press(p, typed("zzzzqq")...)
	v := ansi.Strip(p.View(80, 24))
	if !strings.Contains(v, "No provider matches") || !strings.Contains(v, "› "+ManualLabel) {
		t.Fatalf("no-match view:\n%s", v)
	}
}

// Esc clears the filter first, then asks to go back.
func TestProviderPickerEsc(t *testing.T) {
	p := NewProviderPicker(NewTheme(false), Keys, "")
	press(p, typed("tenc")...)
	if got := press(p, keyEsc); len(got) != 0 || p.filter() != "" {
		t.Fatalf("Esc with a filter: emitted %v, filter %q", got, p.filter())
	}
	if FilterProviders("")[0].Code != p.shown[0].Code || len(p.shown) != len(FilterProviders("")) {
		t.Fatal("the full list is not back after clearing the filter")
	}
	if got := press(p, keyEsc); len(got) != 1 || got[0] != (ProviderBackMsg{}) {
		t.Fatalf("Esc on an empty filter: %v", got)
	}
}

// j and k are letters of names here, not moves.
func TestProviderPickerLettersFilter(t *testing.T) {
	p := NewProviderPicker(NewTheme(false), Keys, "")
	press(p, typed("jd")...)
	found := false
	for _, pr := range p.shown {
		found = found || pr.Code == "jdcloud"
	}
	if p.filter() != "jd" || !found || p.cursor != 0 {
		t.Fatalf("typing jd: filter %q, cursor %d, list %v", p.filter(), p.cursor, codes(t, "jd"))
	}
}

// A rerun opens on the provider used last time, scrolled into view.
func TestProviderPickerCurrent(t *testing.T) {
	p := NewProviderPicker(NewTheme(false), Keys, "rfc2136")
	p.Update(SizeMsg{Width: 80, Height: 24})
	v := ansi.Strip(p.View(80, 24))
	if !strings.Contains(v, "› DNS Update (RFC2136)") {
		t.Fatalf("current provider not under the cursor:\n%s", v)
	}
	if got := press(p, keyEnter); got[0] != (ProviderPickedMsg{Code: "rfc2136"}) {
		t.Fatalf("Enter gave %v", got)
	}
}

// Long names are cut by display width, with "…".
func TestProviderPickerCutsLongNames(t *testing.T) {
	p := NewProviderPicker(NewTheme(false), Keys, "")
	press(p, typed("ispconfig")...)
	v := ansi.Strip(p.View(48, 20))
	if !strings.Contains(v, "…") {
		t.Fatalf("long name not cut:\n%s", v)
	}
	for _, l := range strings.Split(v, "\n") {
		if ansi.StringWidth(l) > 48 {
			t.Fatalf("line wider than 48: %q", l)
		}
	}
	if got := Ellipsize("阿里云解析阿里云解析", 9); ansi.StringWidth(got) > 9 || !strings.HasSuffix(got, "…") {
		t.Fatalf("wide characters cut to %q (%d cells)", got, ansi.StringWidth(got))
	}
}

func TestProviderPickerGolden(t *testing.T) {
	for _, sz := range goldenSizes {
		t.Run(sizeName(sz.w, sz.h), func(t *testing.T) {
			p := NewProviderPicker(NewTheme(false), Keys, "")
			p.Update(SizeMsg{Width: sz.w, Height: sz.h})
			goldenView(t, p.View(sz.w, sz.h))
		})
		t.Run("filtered-"+sizeName(sz.w, sz.h), func(t *testing.T) {
			p := NewProviderPicker(NewTheme(false), Keys, "")
			p.Update(SizeMsg{Width: sz.w, Height: sz.h})
			press(p, typed("cloud")...)
			press(p, keyDown)
			goldenView(t, p.View(sz.w, sz.h))
		})
	}
}

// Accessible mode asks the same question as a line prompt: a nickname
// is refused with the closest codes, a code is accepted.
func TestProviderPickerAccessible(t *testing.T) {
	p := NewProviderPicker(NewTheme(false), Keys, "")
	var out strings.Builder
	if err := Ask(strings.NewReader("aliyun\nAlibaba Cloud DNS\n"), &out, p.Fields()...); err != nil {
		t.Fatal(err)
	}
	code, ok := p.Chosen()
	if !ok || code != "alidns" {
		t.Fatalf("chosen %q %v\n%s", code, ok, out.String())
	}
	if !strings.Contains(out.String(), "did you mean alidns (Alibaba Cloud DNS)") || !strings.Contains(out.String(), ManualLabel) {
		t.Fatalf("output:\n%s", out.String())
	}
	p = NewProviderPicker(NewTheme(false), Keys, "")
	if err := Ask(strings.NewReader("manual\n"), &strings.Builder{}, p.Fields()...); err != nil {
		t.Fatal(err)
	}
	if code, _ := p.Chosen(); code != ManualDNS {
		t.Fatalf("manual answered, chosen %q", code)
	}
}
