package dnschallenge

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// A zone whose only NS has an IPv4 address that answers and an IPv6 one
// that does not (a host without IPv6, or a server not listening on it):
// the record counts as propagated, and both answers are reported. BIND's
// sandbox zone cannot have a second address for its NS (its key may change
// TXT records only), so this zone is served in-process by miekg/dns, the
// library lego's own DNS code is built on.
func TestCheckNeedsOneAddressPerNameserver(t *testing.T) {
	const zone, txtName, value = "multi.test.", "_acme-challenge.multi.test.", "the-value"
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := pc.LocalAddr().(*net.UDPAddr).Port
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		m := new(dns.Msg).SetReply(req)
		m.Authoritative = true
		q := req.Question[0]
		rr := func(s string) dns.RR { r, _ := dns.NewRR(s); return r }
		switch {
		case q.Qtype == dns.TypeSOA && q.Name == zone:
			m.Answer = append(m.Answer, rr(zone+" 60 IN SOA ns1."+zone+" h."+zone+" 1 60 60 60 1"))
		case q.Qtype == dns.TypeNS && q.Name == zone:
			m.Answer = append(m.Answer, rr(zone+" 60 IN NS ns1."+zone))
		case q.Qtype == dns.TypeA && q.Name == "ns1."+zone:
			m.Answer = append(m.Answer, rr("ns1."+zone+" 60 IN A 127.0.0.1"))
		case q.Qtype == dns.TypeAAAA && q.Name == "ns1."+zone:
			m.Answer = append(m.Answer, rr("ns1."+zone+" 60 IN AAAA ::1"))
		case q.Qtype == dns.TypeTXT && q.Name == txtName:
			m.Answer = append(m.Answer, rr(txtName+" 60 IN TXT "+strconv.Quote(value)))
		default:
			m.Ns = append(m.Ns, rr(zone+" 60 IN SOA ns1."+zone+" h."+zone+" 1 60 60 60 1"))
		}
		w.WriteMsg(m)
	})
	srv := &dns.Server{PacketConn: pc, Handler: handler}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })

	events := &eventLog{}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	p := &Propagation{Resolvers: []string{addr}, NSPort: port, QueryTimeout: 500 * time.Millisecond, OnEvent: events.add}
	ok, err := p.Check(context.Background(), Record{Name: txtName, Value: value})
	if !ok || err != nil {
		t.Fatalf("Check = %v, %v; want propagated through the IPv4 address", ok, err)
	}
	got := map[string]bool{}
	for _, e := range events.all() {
		if e.Kind == EventChecked {
			got[e.Server] = e.Seen
		}
	}
	v4 := "ns1.multi.test. " + addr
	v6 := "ns1.multi.test. " + net.JoinHostPort("::1", strconv.Itoa(port))
	if len(got) != 2 || !got[v4] || got[v6] {
		t.Errorf("checked %v, want %s seen and %s not", got, v4, v6)
	}
}
