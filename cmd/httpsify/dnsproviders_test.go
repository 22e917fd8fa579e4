package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/httpsify/httpsify/assets/dnsproviders"
)

func dnsProviders(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = runDNSProviders(args, &o, &e)
	return o.String(), e.String(), code
}

// Every provider is listed once, code then name; the featured ones come
// first, the rest by code; nothing is wider than an 80-column terminal.
func TestDNSProvidersList(t *testing.T) {
	out, errOut, code := dnsProviders(t)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var codes []string
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if w := ansi.StringWidth(line); w > lineWidth {
			t.Errorf("line %d columns wide: %q", w, line)
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		if p, ok := dnsproviders.ByCode(f[0]); ok && p.Code == f[0] {
			name := strings.TrimSpace(line[len(f[0]):])
			if short, cut := strings.CutSuffix(name, "…"); name != p.Name && !(cut && strings.HasPrefix(p.Name, short)) {
				t.Errorf("line for %s does not show its name %q: %q", p.Code, p.Name, line)
			}
			codes = append(codes, f[0])
		}
	}
	all := dnsproviders.All()
	if len(codes) != len(all) {
		t.Fatalf("listed %d providers, the catalog has %d", len(codes), len(all))
	}
	featured := dnsproviders.Featured()
	for i, p := range featured {
		if codes[i] != p.Code {
			t.Fatalf("line %d is %s, want featured %s", i, codes[i], p.Code)
		}
	}
	if rest := codes[len(featured):]; !slices.IsSorted(rest) {
		t.Errorf("providers after the featured ones are not in code order: %v", rest)
	}
	if !strings.Contains(out, "Alibaba Cloud DNS") || !strings.Contains(out, dnsproviders.LegoVersion()) {
		t.Errorf("list lacks a name or the lego version:\n%s", out)
	}
}

// One provider: its name, URL, then every credential and option variable
// in catalog order, each followed by its description.
func TestDNSProvidersShow(t *testing.T) {
	for _, code := range []string{"alidns", "cloudflare", "rfc2136", "azure", "namecheap"} {
		t.Run(code, func(t *testing.T) {
			out, errOut, rc := dnsProviders(t, code)
			if rc != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", rc, errOut)
			}
			p, _ := dnsproviders.ByCode(code)
			lines := strings.Split(out, "\n")
			if lines[0] != p.Name+" ("+p.Code+")" {
				t.Errorf("first line %q", lines[0])
			}
			for _, want := range []string{p.URL, p.DocsURL()} {
				if !strings.Contains(out, want) {
					t.Errorf("lacks %q", want)
				}
			}
			flat := strings.Join(strings.Fields(out), " ")
			pos := 0
			for _, v := range slices.Concat(p.Credentials, p.Options) {
				i := strings.Index(flat[pos:], v.Name+" "+v.Description)
				if i < 0 {
					t.Fatalf("%s with its description %q is missing or out of order", v.Name, v.Description)
				}
				pos += i
			}
			for _, n := range p.Notes {
				if !strings.Contains(flat, n) {
					t.Errorf("note missing: %q", n)
				}
			}
			for _, l := range lines {
				if strings.HasSuffix(l, " ") {
					t.Errorf("trailing space: %q", l)
				}
				// Only a single unbreakable word (a long URL) may overflow.
				if ansi.StringWidth(l) > lineWidth && len(strings.Fields(l)) > 1 {
					t.Errorf("line wider than %d columns: %q", lineWidth, l)
				}
			}
		})
	}
}

func TestDNSProvidersShowAlias(t *testing.T) {
	out, _, code := dnsProviders(t, "dnsupdate")
	if code != 0 || !strings.HasPrefix(out, "DNS Update (RFC2136) (rfc2136)\n") || !strings.Contains(out, "DNSUPDATE_TSIG_SECRET") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestDNSProvidersUnknownCode(t *testing.T) {
	out, errOut, code := dnsProviders(t, "tencnet")
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	if !strings.Contains(errOut, `unknown DNS provider "tencnet"`) || !strings.Contains(errOut, "Did you mean: tencentcloud") {
		t.Errorf("stderr %q", errOut)
	}
	// What the user typed is echoed escaped, never raw.
	_, errOut, code = dnsProviders(t, "\x1b]0;title\x07\x1b[2J")
	if code != 2 || strings.ContainsAny(errOut, "\x1b\x07") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestDNSProvidersBadUsage(t *testing.T) {
	for _, args := range [][]string{{"alidns", "cloudflare"}, {"--json"}} {
		out, errOut, code := dnsProviders(t, args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "Usage:") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if out, _, code := dnsProviders(t, "--help"); code != 0 || !strings.Contains(out, "dns-providers CODE") {
		t.Errorf("--help: exit %d %q", code, out)
	}
}

func TestRunRoutesDNSProviders(t *testing.T) {
	var out, errOut strings.Builder
	if code := run([]string{"dns-providers", "no-such-provider"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "unknown DNS provider") {
		t.Errorf("unknown provider through run: exit %d, want 2 (%q)", code, errOut.String())
	}
	out.Reset()
	if code := run([]string{"dns-providers", "alidns"}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "ALICLOUD_ACCESS_KEY") {
		t.Errorf("one provider through run: exit %d, %q", code, out.String())
	}
}
