package dnschallenge

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"
)

// Check reports what each authoritative server answered: not seen before
// the record is added, seen after; a wrong value is not "seen".
func TestPropagationCheckReportsEachServer(t *testing.T) {
	s := startBIND(t)
	events := &eventLog{}
	p := propagationFor(s, events)
	r := Record{Domain: "www.example.test", Name: "_acme-challenge.www.example.test.", Value: "value-one"}
	ctx := context.Background()

	if ok, err := p.Check(ctx, r); ok || err != nil {
		t.Fatalf("before the record exists: %v, %v", ok, err)
	}
	if err := s.BIND.NSUpdate("update add " + r.Name + " 60 TXT " + strconv.Quote("other-value")); err != nil {
		t.Fatal(err)
	}
	if ok, err := p.Check(ctx, r); ok || err != nil {
		t.Fatalf("with another value only: %v, %v", ok, err)
	}
	if err := s.BIND.NSUpdate("update add " + r.Name + " 60 TXT " + strconv.Quote(r.Value)); err != nil {
		t.Fatal(err)
	}
	if ok, err := p.Check(ctx, r); !ok || err != nil {
		t.Fatalf("after the record was added: %v, %v", ok, err)
	}
	var seen []bool
	propagated := 0
	for _, e := range events.all() {
		switch e.Kind {
		case EventChecked:
			if e.Record != r || e.Server != "ns.example.test. "+s.BIND.Addr || e.Err != nil {
				t.Errorf("event %+v", e)
			}
			seen = append(seen, e.Seen)
		case EventPropagated:
			propagated++
		}
	}
	if len(seen) != 3 || seen[0] || seen[1] || !seen[2] || propagated != 1 {
		t.Errorf("seen per round %v, propagated %d; want [false false true], 1", seen, propagated)
	}
}

// A server that does not answer is reported with its error, never as
// seen, and Wait gives up with NotPropagatedError.
func TestPropagationUnreachableServer(t *testing.T) {
	s := startBIND(t)
	events := &eventLog{}
	p := propagationFor(s, events)
	p.NSPort = s.HTTPPort + 9 // in the sandbox's block, where nothing listens
	p.QueryTimeout = 200 * time.Millisecond
	p.Timeout = 500 * time.Millisecond
	r := Record{Name: "_acme-challenge.example.test.", Value: "v"}
	err := p.Wait(context.Background(), r)
	var np *NotPropagatedError
	if !errors.As(err, &np) {
		t.Fatalf("Wait: %v, want NotPropagatedError", err)
	}
	checked := 0
	for _, e := range events.all() {
		if e.Kind == EventChecked {
			checked++
			if e.Seen || e.Err == nil {
				t.Errorf("event %+v: want not seen, with an error", e)
			}
		}
	}
	if checked == 0 {
		t.Error("no EventChecked")
	}
}

func TestSetupNeedsResolvers(t *testing.T) {
	_, _, err := (&Propagation{}).Setup(context.Background(), NewManual(context.Background(), nil, nil))
	if !errors.Is(err, ErrNoResolvers) {
		t.Errorf("%v, want ErrNoResolvers", err)
	}
}

// Without a Timeout of its own, Wait gives the provider's propagation
// timeout (DNSUPDATE_PROPAGATION_TIMEOUT here) before giving up.
func TestWaitUsesTheProvidersTimeout(t *testing.T) {
	c, err := NewCredentials("rfc2136", map[string]string{
		"DNSUPDATE_NAMESERVER":          "127.0.0.1:1",
		"DNSUPDATE_PROPAGATION_TIMEOUT": "1",
	})
	if err != nil {
		t.Fatal(err)
	}
	prov, err := OpenProvider(context.Background(), testHelper(t), c)
	if err != nil {
		t.Fatal(err)
	}
	defer prov.Close()
	p := &Propagation{Resolvers: []string{"127.0.0.1:1"}}
	if _, _, err := p.Setup(context.Background(), prov); err != nil {
		t.Fatal(err)
	}
	if got := p.timeout(); got != time.Second {
		t.Errorf("timeout %s, want the provider's 1s", got)
	}
	p.Timeout = time.Minute
	if got := p.timeout(); got != time.Minute {
		t.Errorf("timeout %s, want the configured 1m", got)
	}
}
