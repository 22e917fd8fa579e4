package steps

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/ui"
)

// Issue (step 4) gets the certificate through the engine, showing its
// phases as they happen. It can be cancelled: the engine removes its
// temporary challenge location whatever happens, so after this step
// nginx runs the user's own configuration again.
type Issue struct {
	st        *State
	spin      spinner.Model
	running   bool
	cancel    context.CancelFunc
	quitAfter bool
	err       error
	start     time.Time
	clock     time.Time
	logFrom   int
	// A failure is read in full: scrolled, with the CA's own log on l.
	scroll  int
	showLog bool
	w, h    int // the body size, to keep scrolling within the text

	txt issueTXT // manual DNS: the records to create (issue_txt.go)
}

type issueDone struct {
	iss *provision.Issued
	err error
}

type clockTick struct{}

func NewIssue(st *State) *Issue { return &Issue{st: st, spin: newSpinner(st.Theme)} }

func (i *Issue) Title() string { return i18n.T("Issuance") }

func (i *Issue) Enter() tea.Cmd {
	if i.running {
		return tea.Batch(i.spin.Tick, i.st.Feed.Next())
	}
	return i.begin()
}

func (i *Issue) begin() tea.Cmd {
	st := i.st
	ctx, cancel := context.WithCancel(st.Ctx)
	i.cancel, i.running, i.err, i.quitAfter = cancel, true, nil, false
	i.scroll, i.showLog = 0, false
	i.txt = issueTXT{}
	i.start = st.now()
	i.clock, i.logFrom = i.start, len(st.Log)
	plan := st.Plan
	st.Feed.Go(func() tea.Msg {
		iss, err := st.Engine.Issue(ctx, plan)
		return issueDone{iss, err}
	})
	return tea.Batch(st.Feed.Next(), i.spin.Tick, tick())
}

func tick() tea.Cmd { return tea.Tick(time.Second, func(time.Time) tea.Msg { return clockTick{} }) }

func (i *Issue) Update(msg tea.Msg) tea.Cmd {
	st := i.st
	if cmd, ok := i.txt.update(msg); ok {
		return cmd
	}
	switch msg := msg.(type) {
	case txtAskMsg:
		return tea.Batch(i.txt.open(st, msg), st.Feed.Next())
	case EventMsg:
		st.record(msg.Event)
		return tea.Batch(i.txt.progress(msg.DNS), st.Feed.Next())
	case issueDone:
		i.running = false
		i.cancel()
		i.txt.answer(context.Canceled)
		i.txt.panel = nil
		if msg.err != nil {
			i.err = msg.err
			if i.quitAfter {
				return ui.Quit(ui.ExitInterrupted, i18n.T("Stopped at step %d: no change was kept; nginx runs its old configuration.", StepIssue+1))
			}
			return nil
		}
		st.Issued = msg.iss
		if i.quitAfter {
			return ui.Quit(ui.ExitInterrupted, st.cancelNote(StepIssue))
		}
		return ui.Next(i.summary())
	case ui.InterruptMsg:
		if i.running {
			i.quitAfter = true
			i.cancel()
		}
	case spinner.TickMsg:
		if i.txt.panel != nil {
			if cmd := i.txt.panel.Update(msg); cmd != nil {
				return cmd
			}
		}
		if i.running {
			var cmd tea.Cmd
			i.spin, cmd = i.spin.Update(msg)
			return cmd
		}
	case ui.SizeMsg:
		i.w, i.h = msg.Width, msg.Height
	case clockTick:
		if i.running {
			i.clock = st.now()
			return tick()
		}
	case tea.KeyMsg:
		k := st.Keys
		switch {
		case i.running && key.Matches(msg, k.Back):
			i.cancel() // the result arrives as a cancelled error
		case i.running:
		case key.Matches(msg, k.Back):
			return ui.Back(1)
		case key.Matches(msg, k.Next, k.Retry):
			return i.begin()
		case key.Matches(msg, k.Up):
			i.scrollBy(-1)
		case key.Matches(msg, k.Down):
			i.scrollBy(1)
		case key.Matches(msg, k.PageUp):
			i.scrollBy(-10)
		case key.Matches(msg, k.PageDown):
			i.scrollBy(10)
		case key.Matches(msg, k.Details):
			i.showLog, i.scroll = !i.showLog, 0
		}
	}
	return nil
}

// scrollBy moves the failure text by n lines. The view opens on the
// verdict (scroll 0); the log above it is reached with negative values.
func (i *Issue) scrollBy(n int) {
	if i.w == 0 || i.h == 0 {
		return
	}
	v := i.View(i.w, i.h)
	if !strings.Contains(v, i18n.T("↑/↓ to read the rest")) {
		i.scroll = 0
		return
	}
	i.scroll += n
	// Clamp to the text: the view stops at either end, so scrolling
	// back never needs more presses than it took.
	for i.scroll > 0 && i.View(i.w, i.h) == i.viewAt(i.scroll-1) {
		i.scroll--
	}
	for i.scroll < 0 && i.View(i.w, i.h) == i.viewAt(i.scroll+1) {
		i.scroll++
	}
}

func (i *Issue) viewAt(scroll int) string {
	old := i.scroll
	i.scroll = scroll
	v := i.View(i.w, i.h)
	i.scroll = old
	return v
}

func (i *Issue) Busy() string {
	if !i.running {
		return ""
	}
	return i18n.T("Stop getting the certificate and quit? nginx is left as it was.")
}

func (i *Issue) Keys() []key.Binding {
	if ks := i.txt.keys(); ks != nil {
		return ks
	}
	k := i.st.Keys
	if i.running {
		return []key.Binding{withHelp(k.Back, "esc", i18n.N("cancel"))}
	}
	log := i18n.N("CA log")
	if i.showLog {
		log = i18n.N("hide CA log")
	}
	return []key.Binding{withHelp(k.Next, "enter", i18n.N("try again")), withHelp(k.Back, "esc", i18n.N("back")), withHelp(k.Up, "↑/↓", i18n.N("scroll")), withHelp(k.Details, "l", log)}
}

func (i *Issue) Help() string {
	return i18n.T("httpsify asks the CA for a certificate. For HTTP-01 it first adds a temporary location to the port-80 site so nginx can serve the CA's check file, and removes it again afterwards, whatever happens. For DNS-01 nginx is not touched: the TXT records are created (by the provider, or by you from the panel shown) and checked on every authoritative server of the zone before the CA looks. Esc cancels; nothing stays changed.")
}

func (i *Issue) summary() string {
	iss, d := i.st.Issued, i.clock.Sub(i.start).Round(time.Second)
	if ct := i.st.Plan.Certbot; ct != nil && ct.Adopt {
		return i18n.T("certbot's certificate, adopted, valid until %s", iss.Leaf.NotAfter.Format("2006-01-02"))
	}
	if i.st.Plan.Upload != nil {
		return i18n.T("your certificate, valid until %s", iss.Leaf.NotAfter.Format("2006-01-02"))
	}
	if !iss.New {
		return i18n.T("the installed certificate is still good until %s", iss.Leaf.NotAfter.Format("2006-01-02"))
	}
	if iss.Reused {
		return i18n.T("earlier, never-installed certificate reused, valid until %s", iss.Leaf.NotAfter.Format("2006-01-02"))
	}
	return i18n.T("issued, valid until %s (%s)", iss.Leaf.NotAfter.Format("2006-01-02"), d)
}

func (i *Issue) View(w, h int) string {
	st, t := i.st, i.st.Theme
	s := st.Plan.Settings
	head := i18n.T("Getting a certificate for %s from %s", strings.Join(s.Domains, ", "), caHost(s.CADirectory))
	if !st.Plan.Issue {
		head = i18n.T("Checking the installed certificate")
	}
	if st.Plan.Upload != nil {
		head = i18n.T("Storing your certificate for %s", strings.Join(s.Domains, ", "))
	}
	if ct := st.Plan.Certbot; ct != nil && ct.Adopt {
		head = i18n.T("Adopting certbot's certificate for %s", strings.Join(s.Domains, ", "))
	}
	spin := ""
	if i.running {
		spin = i.spin.View()
		head += t.Muted.Render(fmt.Sprintf(" · %s", i.clock.Sub(i.start).Round(time.Second)))
	}
	lines := []string{ui.Hang("", head, w), ""}
	if i.txt.panel != nil && i.running {
		return strings.Join(lines, "\n") + "\n" + i.txt.panel.View(w, h-len(lines))
	}
	events := eventLinesEnded(t, st.since(i.logFrom), spin, st.Verbose || i.showLog, i.err != nil, w)
	if i.err == nil {
		return strings.Join(append(lines, ui.Tail(events, h-len(lines))...), "\n")
	}
	return i.failureView(lines, events, w, h)
}

// failureView is the whole failure, what the CA said first: scrolled with
// ↑/↓ when it is taller than the screen, never cut.
func (i *Issue) failureView(lines, events []string, w, h int) string {
	st, t := i.st, i.st.Theme
	s := st.Plan.Settings
	a := explainIssue(i.err, s)
	mark := t.Fail.Render(ui.MarkFail + " ")
	if a.What == i18n.T("Cancelled.") {
		mark = t.Warn.Render(ui.MarkWarn + " ")
	}
	said := i18n.T("Details:")
	if ie := (*provision.IssueError)(nil); errors.As(i.err, &ie) && ie.FromCA {
		said = i18n.T("In the CA's words:")
	}
	details := ui.Hang("    ", oneParagraph(i.err.Error()), w)
	tail := []string{
		ui.Hang(mark, t.Bold.Render(a.What), w),
		ui.Hang("  ", a.Next, w),
		"",
		t.Muted.Render("  " + said),
		ui.Paint(t.Muted, details),
	}
	all := strings.Split(strings.Join(tail, "\n"), "\n")
	all = append(append(append(lines, events...), ""), all...)
	if len(all) <= h {
		return strings.Join(all, "\n")
	}
	// Taller than the screen: open on the verdict, scroll for the rest.
	room := h - 1
	top := max(min(len(lines)+len(events)+1+i.scroll, len(all)-room), 0)
	more := t.Muted.Render(i18n.T("lines %d-%d of %d", top+1, top+room, len(all)) + " · " + i18n.T("↑/↓ to read the rest"))
	return strings.Join(append(all[top:top+room], more), "\n")
}

// caHost names the CA by its host, shorter than the directory URL.
func caHost(dir string) string {
	if u, err := url.Parse(dir); err == nil && u.Host != "" {
		return u.Host
	}
	return dir
}

// oneParagraph keeps a multi-line error readable when wrapped.
func oneParagraph(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
