package ui

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/httpsify/httpsify/assets/dnsproviders"
)

// secretsOf are the secret values given to every secret variable of p.
func secretsOf(p dnsproviders.Provider) map[string]string {
	m := map[string]string{}
	for _, v := range append(p.Credentials, p.Options...) {
		if IsSecretVariable(v.Name) {
			m[v.Name] = knownSecret + "-" + v.Name
		}
	}
	return m
}

// allValuesOf is secretsOf plus a plain value for every other credential.
func allValuesOf(p dnsproviders.Provider) map[string]string {
	m := secretsOf(p)
	for _, v := range p.Credentials {
		if _, ok := m[v.Name]; !ok {
			m[v.Name] = "plain"
		}
	}
	return m
}

func assertNoSecret(t *testing.T, where, out string) {
	t.Helper()
	if strings.Contains(out, knownSecret) {
		t.Fatalf("%s shows a secret:\n%s", where, out)
	}
}

// Every view of the credentials form, in every state and at every size,
// for every featured provider, with every secret variable set: no secret
// value appears (the reveal key is the one way to show one, on purpose).
func TestCredentialsNoSecretInAnyView(t *testing.T) {
	for _, p := range append(dnsproviders.Featured(), provider(t, "rfc2136"), provider(t, "cloudns")) {
		vals := allValuesOf(p)
		c := NewCredentialsForm(NewTheme(false), Keys, p, vals)
		c.Check = func(map[string]string) error {
			return errors.New("denied for " + strings.Join(mapValues(secretsOf(p)), " and "))
		}
		views := func(state string) {
			for _, sz := range goldenSizes {
				assertNoSecret(t, p.Code+" "+state, c.View(sz.w, sz.h))
			}
			for _, k := range c.Keys() {
				assertNoSecret(t, p.Code+" keys", k.Help().Key+k.Help().Desc)
			}
		}
		views("start")
		press(c, tea.KeyMsg{Type: tea.KeyCtrlO})
		for range len(p.Credentials) + len(p.Options) + 1 {
			views("walking")
			press(c, keyTab)
		}
		for range len(p.Credentials) + len(p.Options) + 1 {
			press(c, tea.KeyMsg{Type: tea.KeyShiftTab})
		}
		for _, m := range runBatch(c.Update(tea.KeyMsg{Type: tea.KeyCtrlT})) {
			c.Update(m)
		}
		views("checked")
		if c.checkErr == nil {
			t.Fatalf("%s: the check's error is not shown", p.Code)
		}
		assertNoSecret(t, p.Code+" check error", c.checkErr.Error())
		// Reveal, then leave the field: hidden again.
		if f := c.form.Focused(); f != nil && f.secret {
			press(c, tea.KeyMsg{Type: tea.KeyCtrlR}, keyTab)
			views("after reveal")
		}
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// The whole byte stream a program writes, keys typed and all, holds no
// secret: typed, pre-filled, or quoted back by the check.
func TestCredentialsNoSecretInProgramOutput(t *testing.T) {
	p := provider(t, "alidns")
	c := NewCredentialsForm(NewTheme(false), Keys, p, map[string]string{"ALICLOUD_SECRET_KEY": knownSecret})
	c.Check = func(map[string]string) error { return errors.New("InvalidAccessKeyId " + knownSecret) }
	m := &harness{c: c, stop: func(msg tea.Msg) bool { _, ok := msg.(CredentialsMsg); return ok }}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitText(t, tm, "ALICLOUD_RAM_ROLE")
	tm.Send(keyTab)
	tm.Type(knownSecret + "x")
	tm.Send(keyTab)
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlT})
	waitText(t, tm, "InvalidAccessKeyId [hidden]")
	tm.Send(keyEnter)
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))
	out, err := io.ReadAll(tm.FinalOutput(t))
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, "program output", string(out))
}

// Accessible mode neither echoes a secret nor offers it as a default.
func TestCredentialsNoSecretInAccessibleOutput(t *testing.T) {
	p := provider(t, "cloudflare")
	c := NewCredentialsForm(NewTheme(false), Keys, p, map[string]string{"CF_DNS_API_TOKEN": knownSecret})
	c.Check = func(map[string]string) error { return errors.New("bad token " + knownSecret) }
	var out strings.Builder
	in := "\n\n\n\n\n\n\n\n\nn\nn\n" // keep everything, no options, do not retry
	if err := c.Ask(strings.NewReader(in), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	assertNoSecret(t, "accessible output", out.String())
	if c.Values()["CF_DNS_API_TOKEN"] != knownSecret {
		t.Fatal("Enter did not keep the stored token")
	}
	if !strings.Contains(out.String(), "Set already (22 characters); Enter keeps it.") || !strings.Contains(out.String(), "bad token [hidden]") {
		t.Fatalf("output:\n%s", out.String())
	}
}

// No golden file holds a test secret.
func TestGoldensHoldNoSecret(t *testing.T) {
	err := filepath.Walk("testdata", func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range []string{knownSecret, knownKeyID} {
			if strings.Contains(string(b), s) {
				t.Errorf("%s holds a secret", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
