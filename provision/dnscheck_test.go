package provision

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
)

// The check runs on a fake resolver: tests never send a query anywhere.
func TestCheckDNS(t *testing.T) {
	records := map[string][]string{
		"here.example.test":  {"192.0.2.5"},
		"half.example.test":  {"192.0.2.5", "198.51.100.7"},
		"away.example.test":  {"203.0.113.10"},
		"local.example.test": {"127.0.0.1"},
		"none.example.test":  {},
	}
	lookup := func(ctx context.Context, host string) ([]net.IPAddr, error) {
		if host == "broken.example.test" {
			return nil, errors.New("i/o timeout")
		}
		ips, ok := records[host]
		if !ok {
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}
		var out []net.IPAddr
		for _, ip := range ips {
			out = append(out, net.IPAddr{IP: net.ParseIP(ip)})
		}
		return out, nil
	}
	local := []net.IP{net.ParseIP("192.0.2.5")}
	names := []string{"here.example.test", "half.example.test", "away.example.test", "local.example.test", "none.example.test", "missing.example.test", "broken.example.test"}
	want := []DNSVerdict{DNSHere, DNSPartly, DNSElsewhere, DNSHere, DNSMissing, DNSMissing, DNSError}
	got := CheckDNS(context.Background(), lookup, local, names)
	for i, a := range got {
		if a.Verdict != want[i] {
			t.Errorf("%s: verdict %d, want %d", a.Name, a.Verdict, want[i])
		}
		if !strings.Contains(a.Explain(80), a.Name) {
			t.Errorf("explanation does not name %s: %s", a.Name, a.Explain(80))
		}
	}
	if !strings.Contains(got[2].Explain(80), "port 80") || !strings.Contains(got[3].Explain(80), "loopback") || !strings.Contains(got[5].Explain(80), "does not resolve") {
		t.Errorf("explanations: %q / %q / %q", got[2].Explain(80), got[3].Explain(80), got[5].Explain(80))
	}
}

// LookupVia asks only the server it is given: here a loopback port with
// nothing behind it, so the answer is an error, not a query elsewhere.
func TestLookupViaLoopbackOnly(t *testing.T) {
	l, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.LocalAddr().String()
	l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3e9)
	defer cancel()
	if _, err := LookupVia(addr)(ctx, "www.example.test"); err == nil {
		t.Fatal("a lookup through a closed loopback port succeeded")
	}
}

// On a cloud VM the public address is never on the machine's own
// interfaces: a record pointing at it is not called wrong.
func TestCheckDNSCloudVM(t *testing.T) {
	lookup := func(ctx context.Context, host string) ([]net.IPAddr, error) {
		return []net.IPAddr{{IP: net.ParseIP("203.0.113.10")}}, nil
	}
	local := []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("10.0.3.15"), net.ParseIP("fe80::1")}
	a := CheckDNS(context.Background(), lookup, local, []string{"www.example.test"})[0]
	if a.Verdict != DNSBehindNAT || !strings.Contains(a.Explain(80), "normal on a cloud server") || strings.Contains(a.Explain(80), "point the name") {
		t.Fatalf("verdict %d: %s", a.Verdict, a.Explain(80))
	}
	// A machine with a public address of its own: the record is elsewhere.
	a = CheckDNS(context.Background(), lookup, []net.IP{net.ParseIP("198.51.100.7")}, []string{"www.example.test"})[0]
	if a.Verdict != DNSElsewhere {
		t.Fatalf("public machine: verdict %d", a.Verdict)
	}
}
