package steps

import (
	"context"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/dnschallenge"
	"github.com/httpsify/httpsify/ui"
)

// Manual DNS in the wizard: the engine's ask (from its goroutine) comes
// through the feed as a txtAskMsg; the issue step shows the TXT panel,
// feeds it each server's answers from the engine's events, and replies
// once the user says the records exist.

type txtAskMsg struct {
	records []dnschallenge.Record
	reply   chan error
}

// errTXTAbandoned: the user went back instead of creating the records.
var errTXTAbandoned error = txtAbandoned{}

// txtAbandoned says it in the language shown when it is read.
type txtAbandoned struct{}

func (txtAbandoned) Error() string {
	return i18n.T("the TXT records were not created; nothing was changed")
}

// askTXT is the wizard's dnschallenge.AskFunc.
func (st *State) askTXT(ctx context.Context, records []dnschallenge.Record) error {
	reply := make(chan error, 1)
	select {
	case st.Feed.ch <- txtAskMsg{records: records, reply: reply}:
	case <-ctx.Done():
		return ctx.Err()
	case <-st.Feed.done:
		return context.Canceled
	}
	select {
	case err := <-reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// issueTXT is the issue step's manual-DNS state.
type issueTXT struct {
	panel   *ui.TXTPanel
	records []dnschallenge.Record
	reply   chan error
	seen    []map[string]bool // per record: server → has it
}

func (t *issueTXT) open(st *State, msg txtAskMsg) tea.Cmd {
	var rs []ui.TXTRecord
	for _, r := range msg.records {
		rs = append(rs, ui.TXTRecord{Name: r.Name, Value: r.Value})
	}
	t.panel, t.records, t.reply = ui.NewTXTPanel(st.Theme, st.Keys, rs), msg.records, msg.reply
	t.seen = make([]map[string]bool, len(rs))
	for i := range t.seen {
		t.seen[i] = map[string]bool{}
	}
	return t.panel.Init()
}

// answer tells the engine, once.
func (t *issueTXT) answer(err error) {
	if t.reply != nil {
		t.reply <- err
		t.reply = nil
	}
}

// progress turns an engine event about a record into the panel's news.
func (t *issueTXT) progress(d *provision.DNSProgress) tea.Cmd {
	if t.panel == nil || d == nil {
		return nil
	}
	for i, r := range t.records {
		if r.Name != d.Name || r.Value != d.Value {
			continue
		}
		t.seen[i][d.Server] = t.seen[i][d.Server] || d.Seen
		var seen []string
		for s, ok := range t.seen[i] {
			if ok {
				seen = append(seen, s)
			}
		}
		return t.panel.Update(ui.TXTStatusMsg{Index: i, Seen: seen, Of: len(t.seen[i]), Err: d.Err})
	}
	return nil
}

// update handles the panel's keys and messages; done reports whether msg
// was the panel's.
func (t *issueTXT) update(msg tea.Msg) (tea.Cmd, bool) {
	if t.panel == nil {
		return nil, false
	}
	switch msg := msg.(type) {
	case ui.TXTCreatedMsg:
		t.answer(nil)
		return nil, true
	case ui.TXTBackMsg:
		t.answer(errTXTAbandoned)
		t.panel = nil
		return nil, true
	case tea.KeyMsg:
		if t.reply == nil && msg.Type == tea.KeyEsc {
			return nil, false // answered: Esc cancels the issuance as usual
		}
		return t.panel.Update(msg), true
	}
	return nil, false
}

func (t *issueTXT) keys() []key.Binding {
	if t.panel == nil {
		return nil
	}
	return t.panel.Keys()
}
