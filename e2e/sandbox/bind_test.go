package sandbox

import (
	"crypto/rand"
	"encoding/base64"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-acme/lego/v4/challenge/dns01"
	"github.com/go-acme/lego/v4/providers/dns/rfc2136"
)

func TestBIND(t *testing.T) {
	base := testBase(t)
	s, err := Start(Options{Dir: t.TempDir(), BasePort: base, BIND: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	b := s.BIND
	if b == nil {
		t.Fatal("Options.BIND set but Sandbox.BIND is nil")
	}
	if b.Zone != "example.test." || b.Addr != "127.0.0.1:"+strconv.Itoa(base+6) || b.KeyAlgorithm != "hmac-sha256" {
		t.Errorf("BIND = %+v", b)
	}
	// lego's DNS lookups (CNAME following, zone search, propagation) go to
	// the system resolver unless told otherwise; here they go to BIND only.
	if err := dns01.AddRecursiveNameservers([]string{b.Addr})(nil); err != nil {
		t.Fatal(err)
	}

	t.Run("site names resolve to 127.0.0.1, with no AAAA", func(t *testing.T) {
		for _, name := range []string{s.Domain, "example.test"} {
			if got := dig(t, b, name, "A"); !slices.Equal(got, []string{"127.0.0.1"}) {
				t.Errorf("dig %s A = %q, want [127.0.0.1]", name, got)
			}
			if got := dig(t, b, name, "AAAA"); len(got) != 0 {
				t.Errorf("dig %s AAAA = %q, want nothing", name, got)
			}
		}
	})

	t.Run("pebble resolves through BIND", func(t *testing.T) {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(s.pebble.cmd.Process.Pid) + "/cmdline")
		if err != nil {
			t.Fatal(err)
		}
		args := strings.Split(string(b), "\x00")
		i := slices.Index(args, "-dnsserver")
		if i < 0 || i+1 >= len(args) || args[i+1] != s.BIND.Addr {
			t.Errorf("pebble runs with %q, want -dnsserver %s", args, s.BIND.Addr)
		}
	})

	t.Run("nsupdate with the key adds and deletes a TXT record", func(t *testing.T) {
		name, val := "_acme-challenge.manual.example.test.", randomValue(t)
		if err := b.NSUpdate("update add " + name + " 60 TXT \"" + val + "\""); err != nil {
			t.Fatal(err)
		}
		if got := dig(t, b, name, "TXT"); !slices.Equal(got, []string{`"` + val + `"`}) {
			t.Errorf("after update add: dig TXT = %q, want %q", got, val)
		}
		if err := b.NSUpdate("update delete " + name + " TXT"); err != nil {
			t.Fatal(err)
		}
		if got := dig(t, b, name, "TXT"); len(got) != 0 {
			t.Errorf("after update delete: dig TXT = %q", got)
		}
	})

	t.Run("updates without the key are refused", func(t *testing.T) {
		name := "_acme-challenge.nokey.example.test."
		cmd := exec.Command("nsupdate")
		cmd.Stdin = strings.NewReader("server 127.0.0.1 " + strconv.Itoa(b.Port) + "\nzone " + b.Zone +
			"\nupdate add " + name + " 60 TXT \"x\"\nsend\n")
		if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "REFUSED") {
			t.Errorf("unsigned nsupdate: %v\n%s", err, out)
		}
		if got := dig(t, b, name, "TXT"); len(got) != 0 {
			t.Errorf("unsigned update landed: %q", got)
		}
	})

	// lego's own RFC 2136 provider, configured in code as the engine will
	// (the key given as fields, or as the file DNSUPDATE_TSIG_FILE names):
	// Present writes the challenge record, CleanUp removes it.
	for name, conf := range map[string]*rfc2136.Config{
		"key fields": legoConfig(b, b.KeySecret),
		"key file":   {Nameserver: b.Addr, TSIGFile: b.KeyFile, DNSTimeout: 5 * time.Second, TTL: 60},
	} {
		t.Run("lego rfc2136 Present and CleanUp, "+name, func(t *testing.T) {
			p, err := rfc2136.NewDNSProviderConfig(conf)
			if err != nil {
				t.Fatal(err)
			}
			keyAuth := "token." + randomValue(t)
			info := dns01.GetChallengeInfo(s.Domain, keyAuth)
			if info.EffectiveFQDN != "_acme-challenge.www.example.test." {
				t.Fatalf("challenge name %q", info.EffectiveFQDN)
			}
			if got := txt(t, b, info.EffectiveFQDN); len(got) != 0 {
				t.Fatalf("TXT present before Present: %q", got)
			}
			if err := p.Present(s.Domain, "token", keyAuth); err != nil {
				t.Fatal(err)
			}
			if got := txt(t, b, info.EffectiveFQDN); !slices.Equal(got, []string{info.Value}) {
				t.Errorf("after Present: TXT %q, want [%s]", got, info.Value)
			}
			if err := p.CleanUp(s.Domain, "token", keyAuth); err != nil {
				t.Fatal(err)
			}
			if got := txt(t, b, info.EffectiveFQDN); len(got) != 0 {
				t.Errorf("after CleanUp: TXT %q", got)
			}
		})
	}

	t.Run("lego rfc2136 with a wrong secret is refused", func(t *testing.T) {
		p, err := rfc2136.NewDNSProviderConfig(legoConfig(b, randomSecret(t)))
		if err != nil {
			t.Fatal(err)
		}
		keyAuth := "token." + randomValue(t)
		err = p.Present("wrong.example.test", "token", keyAuth)
		t.Logf("Present with a wrong secret: %v", err)
		if err == nil {
			t.Error("Present with a wrong TSIG secret succeeded")
		}
		if got := txt(t, b, "_acme-challenge.wrong.example.test."); len(got) != 0 {
			t.Errorf("update with a wrong secret landed: %q", got)
		}
	})

	pid := b.proc.cmd.Process.Pid
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if !processGone(pid) {
		t.Errorf("named (pid %d) still running after Stop", pid)
	}
}

// A new run in the same dir stops the named an earlier, killed run left.
func TestStopDirStopsNamed(t *testing.T) {
	s, err := Start(Options{Dir: t.TempDir(), BasePort: testBase(t), BIND: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	pid := s.BIND.proc.cmd.Process.Pid
	if err := StopDir(s.Dir); err != nil {
		t.Fatal(err)
	}
	if !processGone(pid) {
		t.Errorf("named (pid %d) still running after StopDir", pid)
	}
}

func TestBINDRefusesDomainOutsideZone(t *testing.T) {
	_, err := Start(Options{Dir: t.TempDir(), BasePort: testBase(t), BIND: true, Domain: "www.example.org"})
	if err == nil || !strings.Contains(err.Error(), "not in the BIND zone") {
		t.Fatalf("Start with a domain outside the zone: %v", err)
	}
}

func legoConfig(b *BIND, secret string) *rfc2136.Config {
	c := rfc2136.NewDefaultConfig()
	c.Nameserver = b.Addr
	c.TSIGKey = b.KeyName
	c.TSIGAlgorithm = b.KeyAlgorithm
	c.TSIGSecret = secret
	c.DNSTimeout = 5 * time.Second
	return c
}

// dig asks BIND over UDP (dig's default) and returns the answers.
func dig(t *testing.T, b *BIND, name, typ string) []string {
	t.Helper()
	out, err := exec.Command("dig", "+short", "+time=2", "+tries=1", "@127.0.0.1", "-p", strconv.Itoa(b.Port), name, typ).CombinedOutput()
	if err != nil {
		t.Fatalf("dig %s %s: %v\n%s", name, typ, err, out)
	}
	return strings.Fields(string(out))
}

// txt asks BIND over TCP through miekg/dns.
func txt(t *testing.T, b *BIND, name string) []string {
	t.Helper()
	vals, err := b.TXT(name)
	if err != nil {
		t.Fatal(err)
	}
	return vals
}

func randomValue(t *testing.T) string {
	buf := make([]byte, 16)
	if _, err := rand.Read(buf); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(buf)
}

func randomSecret(t *testing.T) string {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(buf)
}
