package steps

import (
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/provision"
)

// EventMsg is one engine event, delivered to the active step.
type EventMsg struct{ provision.Event }

// Feed carries engine events and the results of engine work to the
// program, in the order they happened, one message per command: the
// engine calls Sink synchronously from its goroutine, and a step re-arms
// Next after each event while its work runs (bubbletea's realtime
// pattern). Nothing here blocks Update or View.
type Feed struct {
	ch   chan tea.Msg
	done chan struct{}
	once sync.Once
	wg   sync.WaitGroup
}

// NewFeed returns an open feed. Its buffer holds what the engine says
// before the program starts reading (recovering an interrupted run).
func NewFeed() *Feed {
	return &Feed{ch: make(chan tea.Msg, 1024), done: make(chan struct{})}
}

// Sink is the provision.Sink of the session. Library chatter is dropped
// rather than waited for when nobody reads.
func (f *Feed) Sink(e provision.Event) {
	msg := EventMsg{e}
	if e.Kind == provision.KindLog {
		select {
		case f.ch <- msg:
		default:
		}
		return
	}
	select {
	case f.ch <- msg:
	case <-f.done:
	}
}

// Go runs work in a goroutine; its result arrives on the feed after every
// event the work emitted.
func (f *Feed) Go(work func() tea.Msg) {
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		msg := work()
		select {
		case f.ch <- msg:
		case <-f.done:
		}
	}()
}

// Next reads one message.
func (f *Feed) Next() tea.Cmd {
	return func() tea.Msg {
		select {
		case m := <-f.ch:
			return m
		case <-f.done:
			return nil
		}
	}
}

// Close stops delivery; work in flight still runs to its end.
func (f *Feed) Close() { f.once.Do(func() { close(f.done) }) }

// Wait blocks until all work has returned. The command calls it after the
// program ends, so a deploy is never cut off mid-transaction.
func (f *Feed) Wait() { f.wg.Wait() }
