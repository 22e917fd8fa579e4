package dnsproviders

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestAllIsSortedUniqueAndComplete(t *testing.T) {
	all := All()
	if len(all) == 0 {
		t.Fatal("empty catalog")
	}
	seen := map[string]string{}
	for i, p := range all {
		if i > 0 && all[i-1].Code >= p.Code {
			t.Errorf("not sorted by code: %q before %q", all[i-1].Code, p.Code)
		}
		if p.Name == "" {
			t.Errorf("%s has no name", p.Code)
		}
		for _, c := range append([]string{p.Code}, p.Aliases...) {
			if prev, dup := seen[c]; dup {
				t.Errorf("code %q belongs to %s and %s", c, prev, p.Code)
			}
			seen[c] = p.Code
		}
	}
	if LegoVersion() == "" {
		t.Error("catalog does not say which lego it came from")
	}
}

// The embedded file is what reaches the terminal: whatever produced it, it
// must hold no control or invisible characters (only "\n" between lines
// of a description).
func TestCatalogTextIsPrintable(t *testing.T) {
	check := func(where, s string, newlines bool) {
		for _, r := range s {
			if r == '\n' && newlines {
				continue
			}
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) ||
				unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) || r == unicode.ReplacementChar {
				t.Errorf("%s holds %U: %q", where, r, s)
			}
		}
	}
	for _, p := range All() {
		check(p.Code+" code", p.Code, false)
		check(p.Code+" name", p.Name, false)
		check(p.Code+" url", p.URL, false)
		check(p.Code+" description", p.Description, true)
		for _, a := range p.Aliases {
			check(p.Code+" alias", a, false)
		}
		for _, v := range slices.Concat(p.Credentials, p.Options) {
			check(p.Code+" "+v.Name, v.Name, false)
			check(p.Code+" "+v.Name+" description", v.Description, false)
		}
		for _, n := range p.Notes {
			check(p.Code+" note", n, false)
		}
	}
}

func TestByCode(t *testing.T) {
	for in, want := range map[string]string{
		"alidns":      "alidns",
		"dnsupdate":   "rfc2136", // alias
		"acmedns":     "acme-dns",
		" CloudFlare": "cloudflare",
	} {
		p, ok := ByCode(in)
		if !ok || p.Code != want {
			t.Errorf("ByCode(%q) = %q, %v; want %q", in, p.Code, ok, want)
		}
	}
	for _, in := range []string{"", "nosuchprovider", "alidns\x1b[0m", "ali dns"} {
		if p, ok := ByCode(in); ok {
			t.Errorf("ByCode(%q) found %q", in, p.Code)
		}
	}
}

func TestAlidnsVariablesInLegoOrder(t *testing.T) {
	p, ok := ByCode("alidns")
	if !ok {
		t.Fatal("no alidns")
	}
	var names []string
	for _, v := range p.Credentials {
		names = append(names, v.Name)
	}
	// lego's order, not alphabetical: the RAM role comes first.
	if want := []string{"ALICLOUD_RAM_ROLE", "ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN"}; !slices.Equal(names, want) {
		t.Errorf("alidns credentials %v, want %v", names, want)
	}
	if p.Name != "Alibaba Cloud DNS" || p.URL == "" || len(p.Options) == 0 {
		t.Errorf("alidns = %+v", p)
	}
}

func TestCallersCannotChangeTheCatalog(t *testing.T) {
	p, _ := ByCode("cloudflare")
	p.Credentials[0].Name = "CHANGED"
	p.Aliases = append(p.Aliases, "x")
	all := All()
	all[0].Options[0].Description = "CHANGED"
	again, _ := ByCode("cloudflare")
	if again.Credentials[0].Name == "CHANGED" || All()[0].Options[0].Description == "CHANGED" {
		t.Error("a caller's edit reached the catalog")
	}
}

func TestFeaturedProvidersExist(t *testing.T) {
	got := Featured()
	if len(got) != len(featured) {
		t.Fatalf("Featured() has %d providers, the list names %d: some code is not in the catalog", len(got), len(featured))
	}
	seen := map[string]bool{}
	for i, p := range got {
		if p.Code != featured[i] {
			t.Errorf("featured %q resolves to %q: use the canonical code", featured[i], p.Code)
		}
		if seen[p.Code] {
			t.Errorf("%s featured twice", p.Code)
		}
		seen[p.Code] = true
		// Featuring what lego is phasing out would steer users wrong.
		if strings.Contains(strings.ToLower(p.Name+" "+p.Description), "deprecated") {
			t.Errorf("featured %s is deprecated in lego: %q", p.Code, p.Name)
		}
	}
	for _, code := range []string{"alidns", "tencentcloud", "huaweicloud", "cloudflare"} {
		if !seen[code] {
			t.Errorf("%s is not featured", code)
		}
	}
}

func TestNicknamesNameRealCodes(t *testing.T) {
	for nick, code := range nicknames {
		if p, ok := ByCode(code); !ok || p.Code != code {
			t.Errorf("nickname %q names %q, not a canonical code", nick, code)
		}
		if _, ok := ByCode(nick); ok {
			t.Errorf("nickname %q is a code itself", nick)
		}
	}
}

func TestOrderedFeaturedFirstThenByCode(t *testing.T) {
	got := Ordered()
	if len(got) != len(All()) {
		t.Fatalf("Ordered has %d providers, All %d", len(got), len(All()))
	}
	for i, code := range featured {
		if got[i].Code != code {
			t.Fatalf("Ordered()[%d] = %s, want featured %s", i, got[i].Code, code)
		}
	}
	seen := map[string]bool{}
	for _, p := range got {
		if seen[p.Code] {
			t.Errorf("%s listed twice", p.Code)
		}
		seen[p.Code] = true
	}
	rest := got[len(featured):]
	if !slices.IsSortedFunc(rest, func(a, b Provider) int { return strings.Compare(a.Code, b.Code) }) {
		t.Error("the providers after the featured ones are not sorted by code")
	}
}

func TestSuggest(t *testing.T) {
	for in, want := range map[string]string{
		"tencent":   "tencentcloud", // part of a code
		"huawei":    "huaweicloud",
		"cloudfare": "cloudflare",   // a typo
		"alidsn":    "alidns",       // swapped letters
		"tencnet":   "tencentcloud", // a typo in the beginning
		"Route 53":  "route53",      // in the name
		"aliyun":    "alidns",       // a nickname
	} {
		got := Suggest(in, 3)
		if len(got) == 0 || got[0] != want {
			t.Errorf("Suggest(%q) = %v, want %s first", in, got, want)
		}
	}
	if got := Suggest("qqqqqqqqqqqq", 3); len(got) != 0 {
		t.Errorf("Suggest(nonsense) = %v, want nothing", got)
	}
	if got := Suggest("cloud", 2); len(got) != 2 {
		t.Errorf("Suggest(cloud, 2) = %v, want 2 codes", got)
	}
}
