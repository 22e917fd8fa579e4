package provision

import (
	"fmt"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/termtext"
)

// Phase names a stage of a run; the wizard shows one line per phase.
type Phase string

const (
	PhaseDetect   Phase = "detect"
	PhasePlan     Phase = "plan"
	PhasePrepare  Phase = "prepare" // make port 80 answer ACME challenges
	PhaseIssue    Phase = "issue"
	PhaseInstall  Phase = "install"
	PhaseWrite    Phase = "write"
	PhaseCheck    Phase = "check"
	PhaseReload   Phase = "reload"
	PhaseVerify   Phase = "verify"
	PhaseRollback Phase = "rollback"
)

// Kind says what an event reports about its phase.
type Kind string

const (
	KindStart Kind = "start" // the phase began
	KindOK    Kind = "ok"    // the phase finished well
	KindWarn  Kind = "warn"  // something the user should know; the run goes on
	KindFail  Kind = "fail"  // the phase failed
	KindLog   Kind = "log"   // library chatter (lego), for verbose output only
)

// Event is one progress report. Messages never contain secrets.
type Event struct {
	Time    time.Time
	Phase   Phase
	Kind    Kind
	Message string
	// DNS is DNS-01 propagation news for a UI's record panel (issue 11);
	// nil for every other event.
	DNS *DNSProgress
}

func (e Event) String() string {
	return fmt.Sprintf("%s %-8s %-5s %s", e.Time.Format("15:04:05"), e.Phase, e.Kind, e.Message)
}

// Sink receives events. It must not block for long: the engine calls it
// inline. A nil Sink drops events.
type Sink func(Event)

func (s Sink) emit(p Phase, k Kind, format string, args ...any) {
	if s == nil {
		return
	}
	// Events carry outside text (the CA's words, nginx's output, names
	// from configs): cleaned here, where it enters the event stream.
	// The format is a catalog key: the event is in the user's language.
	s(Event{Time: time.Now(), Phase: p, Kind: k, Message: termtext.Clean(fmt.Sprintf(i18n.Lookup(format), args...))})
}

// Emit reports one event, for the server implementations. Outside text
// in args is cleaned like every other event's.
func (s Sink) Emit(p Phase, k Kind, format string, args ...any) { s.emit(p, k, format, args...) }
