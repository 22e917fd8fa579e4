package steps

import (
	"context"
	"testing"
	"time"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/dnschallenge"
)

// Manual DNS in the wizard: when the engine asks (as DNS01 does, from its
// goroutine, through the wizard's AskFunc), the issue step shows both
// records; the ask returns only after Enter, and the servers' answers the
// engine reports show on the panel.
func TestIssueManualDNSPanel(t *testing.T) {
	st, fe := newState(t)
	answered(t, st, false)
	hold := held(t, fe)
	tm := start(t, st, StepIssue, 100, 30)
	records := []dnschallenge.Record{
		{Domain: "example.test", Name: "_acme-challenge.example.test.", Value: "value-for-the-wildcard-0123456789abcdefghij"},
		{Domain: "example.test", Name: "_acme-challenge.example.test.", Value: "value-for-the-apex-0123456789abcdefghijklmno"},
	}
	asked := make(chan error, 1)
	go func() { asked <- st.askTXT(context.Background(), records) }()
	waitFor(t, tm, "value-for-the-apex-0123456789abcdefghijklmno")
	select {
	case err := <-asked:
		t.Fatalf("the ask returned before Enter: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	tm.Send(press("enter"))
	select {
	case err := <-asked:
		if err != nil {
			t.Fatalf("ask: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Enter did not answer the engine")
	}
	for _, r := range records {
		st.Feed.Sink(provision.Event{Phase: provision.PhasePrepare, Kind: provision.KindOK, Message: "seen",
			DNS: &provision.DNSProgress{Name: r.Name, Value: r.Value, Server: "ns.example.test. 127.0.0.1:53", Seen: true}})
	}
	waitFor(t, tm, "seen everywhere (1 of 1 servers)")
	close(hold)
	waitFor(t, tm, "Step 5 of 9")
	finalView(t, tm, 100, 30)
}
