package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
)

// A wildcard and its apex: two values on one name.
var wildcardRecords = []TXTRecord{
	{Name: "_acme-challenge.example.com", Value: "gfj9Xq8h2p0sK3vLqW7mN1bR5tY4uZ6cA9dE2fG0hJk"},
	{Name: "_acme-challenge.example.com", Value: "Zq8h2p0sK3vLqW7mN1bR5tY4uZ6cA9dE2fG0hJkgfj9X"},
}

// Each value is on one line of its own, whole, at every size where it
// fits; where it does not, it is panned, never wrapped.
func TestTXTPanelValuesWhole(t *testing.T) {
	p := NewTXTPanel(NewTheme(false), Keys, wildcardRecords)
	for _, sz := range goldenSizes {
		v := strip(p, sz.w, sz.h)
		for _, r := range wildcardRecords {
			if !strings.Contains(v, "  Value  "+r.Value+"\n") {
				t.Fatalf("%dx%d: value %s not whole on its own line:\n%s", sz.w, sz.h, r.Value, v)
			}
		}
	}
	long := []TXTRecord{{Name: "_acme-challenge.a-rather-long-subdomain-name.of-a-long-domain.example.com", Value: wildcardRecords[0].Value}}
	p = NewTXTPanel(NewTheme(false), Keys, long)
	v := strip(p, 60, 20)
	if strings.Contains(v, "of-a-long-domain.example.com") || !strings.Contains(v, "  Name   _acme-challenge.a-rather-long-subdomain-name.of-a-…\n") {
		t.Fatalf("a long name is not cut at the edge with …:\n%s", v)
	}
	press(p, keyRight, keyRight, keyRight)
	v = strip(p, 60, 20)
	if !strings.Contains(v, "example.com") || !strings.Contains(v, "  Name   …") {
		t.Fatalf("→ did not pan to the name's end:\n%s", v)
	}
	press(p, keyLeft, keyLeft, keyLeft)
	if !strings.Contains(strip(p, 60, 20), "  Name   _acme-challenge") {
		t.Fatal("← did not pan back")
	}
}

// Enter says the records exist (once); statuses then show what the
// check saw, record by record, and the explanation stays.
func TestTXTPanelFlow(t *testing.T) {
	p := NewTXTPanel(NewTheme(false), Keys, wildcardRecords)
	v := strip(p, 80, 24)
	if !strings.Contains(v, "cannot renew unattended") || !strings.Contains(v, "Press Enter once every record is created") {
		t.Fatalf("before Enter:\n%s", v)
	}
	got := runBatch(p.Update(keyEnter))
	if !hasMsg(got, TXTCreatedMsg{}) {
		t.Fatalf("Enter gave %v", got)
	}
	if got := runBatch(p.Update(keyEnter)); hasMsg(got, TXTCreatedMsg{}) {
		t.Fatalf("a second Enter gave %v", got)
	}
	if got := runBatch(p.Update(keyEsc)); len(got) != 0 {
		t.Fatalf("Esc after Enter gave %v (the check has started)", got)
	}
	p.Update(TXTStatusMsg{Index: 0, Seen: []string{"ns1.example.net"}, Of: 2})
	p.Update(TXTStatusMsg{Index: 1, Seen: nil, Of: 2})
	v = strip(p, 80, 24)
	if !strings.Contains(v, "seen at ns1.example.net (1 of 2 servers)") || !strings.Contains(v, "not seen yet (0 of 2 servers)") {
		t.Fatalf("partial statuses:\n%s", v)
	}
	if strings.Contains(v, "Every record is seen") {
		t.Fatal("claims every record seen too early")
	}
	p.Update(TXTStatusMsg{Index: 0, Seen: []string{"ns1.example.net", "ns2.example.net"}, Of: 2})
	p.Update(TXTStatusMsg{Index: 1, Seen: []string{"ns1.example.net", "ns2.example.net"}, Of: 2})
	v = strip(p, 80, 24)
	if strings.Count(v, "✓ seen everywhere (2 of 2 servers)") != 2 || !strings.Contains(v, "✓ Every record is seen") {
		t.Fatalf("all seen:\n%s", v)
	}
	// Outside text (a server name, an error) is cleaned.
	p.Update(TXTStatusMsg{Index: 1, Err: "timeout \x1b[2J at ns2"})
	if v := p.View(80, 24); strings.Contains(v, "\x1b[2J") || !strings.Contains(ansi.Strip(v), "✗ cannot check: timeout") {
		t.Fatalf("error not cleaned:\n%q", v)
	}
}

func TestTXTPanelEscBefore(t *testing.T) {
	p := NewTXTPanel(NewTheme(false), Keys, wildcardRecords)
	if got := runBatch(p.Update(keyEsc)); len(got) != 1 || got[0] != (TXTBackMsg{}) {
		t.Fatalf("Esc gave %v", got)
	}
}

func TestTXTPanelTeatest(t *testing.T) {
	p := NewTXTPanel(NewTheme(false), Keys, wildcardRecords)
	m := &harness{c: p, stop: func(msg tea.Msg) bool { _, ok := msg.(TXTCreatedMsg); return ok }}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitText(t, tm, wildcardRecords[1].Value)
	tm.Send(keyEnter)
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(3*time.Second)).(*harness)
	if len(fm.got) != 1 || !p.Created() {
		t.Fatalf("got %v", fm.got)
	}
}

func TestTXTPanelGolden(t *testing.T) {
	for _, sz := range goldenSizes {
		t.Run("before-"+sizeName(sz.w, sz.h), func(t *testing.T) {
			p := NewTXTPanel(NewTheme(false), Keys, wildcardRecords)
			goldenView(t, p.View(sz.w, sz.h))
		})
		t.Run("checking-"+sizeName(sz.w, sz.h), func(t *testing.T) {
			p := NewTXTPanel(NewTheme(false), Keys, wildcardRecords)
			p.Update(keyEnter)
			p.Update(TXTStatusMsg{Index: 0, Seen: []string{"ns1.example.net", "ns2.example.net"}, Of: 2})
			p.Update(TXTStatusMsg{Index: 1, Seen: []string{"ns1.example.net"}, Of: 2})
			goldenView(t, p.View(sz.w, sz.h))
		})
	}
}

// The frame's body at 60x20 is 16 lines: the records and the way on stay.
func TestTXTPanelShort(t *testing.T) {
	p := NewTXTPanel(NewTheme(false), Keys, wildcardRecords)
	v := strip(p, 60, 16)
	for _, want := range []string{wildcardRecords[0].Value, wildcardRecords[1].Value, "cannot renew unattended", "Press Enter once"} {
		if !strings.Contains(v, want) {
			t.Fatalf("%q missing at 60x16:\n%s", want, v)
		}
	}
	goldenView(t, p.View(60, 16))
}

// Accessible mode: the records in plain text, then the question, which
// only yes answers; status lines say the same as the screen.
func TestTXTPanelAccessible(t *testing.T) {
	p := NewTXTPanel(NewTheme(false), Keys, wildcardRecords)
	var out strings.Builder
	if err := Ask(strings.NewReader("n\ny\n"), &out, p.Fields()...); err != nil {
		t.Fatal(err)
	}
	o := out.String()
	if !p.Created() || !strings.Contains(o, "Record 2: value "+wildcardRecords[1].Value+"\n") || !strings.Contains(o, "cannot renew unattended") || !strings.Contains(o, "Create the records first") {
		t.Fatalf("output:\n%s", o)
	}
	p.Update(TXTStatusMsg{Index: 0, Seen: []string{"ns1.example.net"}, Of: 2})
	if got := p.StatusLine(0); got != "Record 1 (_acme-challenge.example.com): seen at ns1.example.net (1 of 2 servers)" {
		t.Fatalf("status line %q", got)
	}
}

func hasMsg(msgs []tea.Msg, want tea.Msg) bool {
	for _, m := range msgs {
		if m == want {
			return true
		}
	}
	return false
}

// The help texts name the keys each component really binds.
func TestDNSHelpNamesKeys(t *testing.T) {
	c := NewCredentialsForm(NewTheme(false), Keys, provider(t, "alidns"), nil)
	c.Check = func(map[string]string) error { return nil }
	for _, k := range []string{"ctrl+r", "ctrl+o", "ctrl+t"} {
		if !strings.Contains(c.Help(), k) {
			t.Errorf("credentials help does not name %s", k)
		}
	}
	if !strings.Contains(NewTXTPanel(NewTheme(false), Keys, wildcardRecords).Help(), "cannot renew unattended") {
		t.Error("TXT help does not say manual records cannot renew")
	}
	if !strings.Contains(NewProviderPicker(NewTheme(false), Keys, "").Help(), "manual entry") {
		t.Error("picker help does not mention the manual entry")
	}
}
