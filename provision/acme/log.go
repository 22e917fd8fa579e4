package acme

import (
	"fmt"
	"strings"
	"sync"

	legolog "github.com/go-acme/lego/v4/log"
)

// lego logs through one process-wide logger. It goes into the event
// stream of the run in progress, never to the terminal, where it would
// corrupt the wizard.
var (
	legoMu   sync.Mutex
	legoSink func(line string)
)

type legoLogger struct{}

func (legoLogger) out(s string) {
	legoMu.Lock()
	sink := legoSink
	legoMu.Unlock()
	if sink != nil {
		sink(strings.TrimSpace(s))
	}
}

func (l legoLogger) Fatal(args ...any)                 { l.out(fmt.Sprint(args...)) }
func (l legoLogger) Fatalln(args ...any)               { l.out(fmt.Sprintln(args...)) }
func (l legoLogger) Fatalf(format string, args ...any) { l.out(fmt.Sprintf(format, args...)) }
func (l legoLogger) Print(args ...any)                 { l.out(fmt.Sprint(args...)) }
func (l legoLogger) Println(args ...any)               { l.out(fmt.Sprintln(args...)) }
func (l legoLogger) Printf(format string, args ...any) { l.out(fmt.Sprintf(format, args...)) }

func init() { legolog.Logger = legoLogger{} }

// RouteLog sends lego's log lines to sink until the returned func is
// called.
func RouteLog(sink func(line string)) func() {
	legoMu.Lock()
	legoSink = sink
	legoMu.Unlock()
	return func() {
		legoMu.Lock()
		legoSink = nil
		legoMu.Unlock()
	}
}
