package dnschallenge

import (
	"context"
	"sync"

	"github.com/go-acme/lego/v4/challenge/dns01"
)

// AskFunc shows records to the user (each name and value on its own
// copyable line) and returns nil once the user says they are in place, or
// an error (ctx.Err() when cancelled) to abandon the order.
type AskFunc func(ctx context.Context, records []Record) error

// Manual is a lego challenge.Provider for users who edit their DNS by
// hand. It never touches stdin or stdout.
//
// lego presents every authorization before solving any when a provider is
// not sequential (Manual is not), so Present only collects the record; the
// user is asked once, with all collected records, when the first
// propagation check runs (Propagation.Setup wires that). A wildcard + apex
// certificate so shows both TXT values together, and the user makes one
// trip to their DNS panel.
type Manual struct {
	ctx     context.Context // lego v4 has no contexts; this one cancels the wait
	ask     AskFunc
	onEvent func(Event)

	mu      sync.Mutex
	pending []Record
	asked   map[recordKey]error // answer for each record shown
}

// recordKey identifies a record without its Domain: lego names the same
// authorization "example.com" in Present and "*.example.com" in the
// pre-check, while the name and (per-authorization) value are the same.
type recordKey struct{ name, value string }

func keyOf(r Record) recordKey { return recordKey{r.Name, r.Value} }

// NewManual returns a manual provider; onEvent may be nil.
func NewManual(ctx context.Context, ask AskFunc, onEvent func(Event)) *Manual {
	return &Manual{ctx: ctx, ask: ask, onEvent: onEvent, asked: map[recordKey]error{}}
}

// Present records what must be created; the user is asked later, with
// every record of the order (see Manual).
func (m *Manual) Present(domain, _, keyAuth string) error {
	info := dns01.GetChallengeInfo(domain, keyAuth)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pending = append(m.pending, Record{Domain: domain, Name: info.EffectiveFQDN, Value: info.Value})
	return m.ctx.Err()
}

// CleanUp tells the user the record may go; deleting it is theirs to do.
func (m *Manual) CleanUp(domain, _, keyAuth string) error {
	info := dns01.GetChallengeInfo(domain, keyAuth)
	r := Record{Domain: domain, Name: info.EffectiveFQDN, Value: info.Value}
	m.mu.Lock()
	delete(m.asked, keyOf(r))
	m.mu.Unlock()
	emit(m.onEvent, Event{Kind: EventRecordRemovable, Record: r})
	return nil
}

// awaitGoAhead returns once the user has confirmed r: asking about every
// pending record if r is among them. Records it never presented pass.
func (m *Manual) awaitGoAhead(r Record) error {
	m.mu.Lock()
	defer m.mu.Unlock() // held while asking: a second check waits for the same answer
	if len(m.pending) > 0 && containsRecord(m.pending, r) {
		batch := m.pending
		m.pending = nil
		emit(m.onEvent, Event{Kind: EventRecordsToCreate, Records: batch})
		err := m.ask(m.ctx, batch)
		if err == nil {
			err = m.ctx.Err()
		}
		for _, b := range batch {
			m.asked[keyOf(b)] = err
		}
	}
	return m.asked[keyOf(r)]
}

func containsRecord(rs []Record, r Record) bool {
	for _, x := range rs {
		if keyOf(x) == keyOf(r) {
			return true
		}
	}
	return false
}
