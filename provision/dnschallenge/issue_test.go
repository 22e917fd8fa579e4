package dnschallenge

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

var wildcardAndApex = []string{"*.example.test", "example.test"}

// sandboxCredentials are the rfc2136 credentials for the sandbox's BIND,
// as a user would write them in a --dns-credentials file.
func sandboxCredentials(tb testing.TB, s *sandbox.Sandbox) Credentials {
	tb.Helper()
	c, err := NewCredentials("rfc2136", map[string]string{
		"DNSUPDATE_NAMESERVER":     s.BIND.Addr,
		"DNSUPDATE_TSIG_KEY":       s.BIND.KeyName,
		"DNSUPDATE_TSIG_ALGORITHM": s.BIND.KeyAlgorithm,
		"DNSUPDATE_TSIG_SECRET":    s.BIND.KeySecret,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func propagationFor(s *sandbox.Sandbox, events *eventLog) *Propagation {
	return &Propagation{
		Resolvers: []string{s.BIND.Addr},
		NSPort:    s.BIND.Port, // ns.example.test is 127.0.0.1, but BIND is not on 53
		Interval:  200 * time.Millisecond,
		OnEvent:   events.add,
	}
}

// A wildcard + apex certificate through rfc2136, from credentials stored
// 0600 and read back, with propagation reported per record and server;
// afterwards no secret is anywhere but in the 0600 file.
func TestWildcardAndApexThroughRFC2136(t *testing.T) {
	s := startBIND(t)
	legoLog := captureLegoLog(t)
	stateDir := filepath.Join(t.TempDir(), "state")
	if err := os.Mkdir(stateDir, 0o700); err != nil {
		t.Fatal(err)
	}
	path, err := SaveCredentials(stateDir, sandboxCredentials(t, s))
	if err != nil {
		t.Fatal(err)
	}
	creds, err := LoadCredentials(stateDir, "rfc2136")
	if err != nil {
		t.Fatal(err)
	}
	prov, err := OpenProvider(context.Background(), testHelper(t, s.BIND.Addr), creds)
	if err != nil {
		t.Fatal(err)
	}
	defer prov.Close()
	events := &eventLog{}
	prop := propagationFor(s, events)
	wrapped, opts, err := prop.Setup(context.Background(), prov)
	if err != nil {
		t.Fatal(err)
	}
	obtain(t, legoClient(t, s), wrapped, opts, wildcardAndApex...)

	// Two records were checked, each seen by the zone's one server, and
	// both had distinct values on the same name.
	var propagated []Record
	checkedSeen := map[Record]bool{}
	for _, e := range events.all() {
		switch e.Kind {
		case EventPropagated:
			propagated = append(propagated, e.Record)
		case EventChecked:
			if e.Server != "ns.example.test. "+s.BIND.Addr {
				t.Errorf("checked server %q, want ns.example.test. %s", e.Server, s.BIND.Addr)
			}
			if e.Seen {
				checkedSeen[e.Record] = true
			}
		}
	}
	if len(propagated) != 2 || propagated[0].Name != "_acme-challenge.example.test." ||
		propagated[1].Name != propagated[0].Name || propagated[0].Value == propagated[1].Value {
		t.Errorf("propagated records = %+v, want two values on _acme-challenge.example.test.", propagated)
	}
	for _, r := range propagated {
		if !checkedSeen[r] {
			t.Errorf("record %+v reported propagated without a server seeing it", r)
		}
	}
	// The provider cleaned up: nothing is left in the zone.
	if got, err := s.BIND.TXT("_acme-challenge.example.test."); err != nil || len(got) != 0 {
		t.Errorf("TXT left after issuance: %q, %v", got, err)
	}

	assertNoSecretLeft(t, sandboxCredentials(t, s), path, s.Dir, legoLog.String(), events.all())
}

// Manual mode: the test plays the user. It is shown both records at once,
// adds them with nsupdate, says go; the certificate is issued and the
// records are reported removable.
func TestWildcardAndApexManual(t *testing.T) {
	s := startBIND(t)
	captureLegoLog(t)
	events := &eventLog{}
	var asked [][]Record
	ask := func(ctx context.Context, records []Record) error {
		asked = append(asked, records)
		var cmds []string
		for _, r := range records {
			cmds = append(cmds, fmt.Sprintf("update add %s 60 TXT %s", r.Name, strconv.Quote(r.Value)))
		}
		return s.BIND.NSUpdate(cmds...)
	}
	m := NewManual(context.Background(), ask, events.add)
	prov, opts, err := propagationFor(s, events).Setup(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	obtain(t, legoClient(t, s), prov, opts, wildcardAndApex...)

	if len(asked) != 1 || len(asked[0]) != 2 {
		t.Fatalf("asked %d times with %v, want once with both records", len(asked), asked)
	}
	a, b := asked[0][0], asked[0][1]
	if a.Name != "_acme-challenge.example.test." || b.Name != a.Name || a.Value == b.Value || a.Domain != "example.test" {
		t.Errorf("records shown = %+v", asked[0])
	}
	var removable []Record
	toCreate := 0
	for _, e := range events.all() {
		switch e.Kind {
		case EventRecordRemovable:
			removable = append(removable, e.Record)
		case EventRecordsToCreate:
			toCreate++
			if !slices.Equal(e.Records, asked[0]) {
				t.Errorf("EventRecordsToCreate %+v, want the records asked about %+v", e.Records, asked[0])
			}
		}
	}
	if toCreate != 1 {
		t.Errorf("%d EventRecordsToCreate, want 1", toCreate)
	}
	slices.SortFunc(removable, func(x, y Record) int { return strings.Compare(x.Value, y.Value) })
	shown := slices.SortedFunc(slices.Values(asked[0]), func(x, y Record) int { return strings.Compare(x.Value, y.Value) })
	if !slices.Equal(removable, shown) {
		t.Errorf("removable = %+v, want the records shown %+v", removable, shown)
	}
}

// Cancelling while the user is being asked fails the order with the
// context's error, promptly, instead of waiting for a go that never comes.
func TestManualCancelled(t *testing.T) {
	s := startBIND(t)
	captureLegoLog(t)
	ctx, cancel := context.WithCancel(context.Background())
	ask := func(ctx context.Context, records []Record) error {
		cancel()
		<-ctx.Done()
		return ctx.Err()
	}
	m := NewManual(ctx, ask, nil)
	prov, opts, err := propagationFor(s, &eventLog{}).Setup(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	c := legoClient(t, s)
	if err := c.Challenge.SetDNS01Provider(prov, opts...); err != nil {
		t.Fatal(err)
	}
	_, err = c.Certificate.Obtain(certificateRequest(wildcardAndApex))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Obtain after cancel: %v, want context canceled", err)
	}
}
