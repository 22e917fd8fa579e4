package dnschallenge

// Record is one TXT record a DNS-01 challenge needs. A wildcard and its
// apex (*.example.com + example.com) need two records with the same Name
// and different Values: both must be in the zone at once.
type Record struct {
	// Domain is the name being validated, as lego gives it: "example.com"
	// when the record is created (also for *.example.com), and
	// "*.example.com" in propagation events for the wildcard.
	Domain string
	Name   string // fully qualified TXT name, CNAMEs followed: "_acme-challenge.example.com."
	Value  string // the TXT value (public: it proves nothing without the account key)
}

// EventKind says what an Event reports.
type EventKind int

const (
	// EventRecordsToCreate (manual mode): Records must be created now, all
	// of them; the Manual provider's AskFunc is called with the same list.
	EventRecordsToCreate EventKind = iota + 1
	// EventChecked: Server was asked for Record; Seen says whether it
	// answered with the value, Err why it could not be asked.
	EventChecked
	// EventPropagated: every authoritative server answered Record.
	EventPropagated
	// EventRecordRemovable (manual mode): the CA is done with Record; the
	// user may delete it.
	EventRecordRemovable
)

// Event is progress for the UI. It never holds credentials.
type Event struct {
	Kind    EventKind
	Records []Record // EventRecordsToCreate
	Record  Record   // the others
	Server  string   // EventChecked: "ns1.example.com. 192.0.2.1:53"
	Seen    bool     // EventChecked
	Err     error    // EventChecked
}

func emit(f func(Event), e Event) {
	if f != nil {
		f(e)
	}
}
