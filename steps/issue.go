package steps

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

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
}

type issueDone struct {
	iss *provision.Issued
	err error
}

type clockTick struct{}

func NewIssue(st *State) *Issue { return &Issue{st: st, spin: newSpinner(st.Theme)} }

func (i *Issue) Title() string { return "Issuance" }

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
	switch msg := msg.(type) {
	case EventMsg:
		st.record(msg.Event)
		return st.Feed.Next()
	case issueDone:
		i.running = false
		i.cancel()
		if msg.err != nil {
			i.err = msg.err
			if i.quitAfter {
				return ui.Quit(ui.ExitInterrupted, "Stopped at step 4: nothing written; the temporary challenge location is removed again and nginx runs its old configuration.")
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
		if i.running {
			var cmd tea.Cmd
			i.spin, cmd = i.spin.Update(msg)
			return cmd
		}
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
		}
	}
	return nil
}

func (i *Issue) Busy() string {
	if !i.running {
		return ""
	}
	return "Stop getting the certificate and quit? nginx is left as it was."
}

func (i *Issue) Keys() []key.Binding {
	k := i.st.Keys
	if i.running {
		return []key.Binding{withHelp(k.Back, "esc", "cancel")}
	}
	return []key.Binding{withHelp(k.Next, "enter", "try again"), withHelp(k.Back, "esc", "back to the certificate settings")}
}

func (i *Issue) Help() string {
	return "httpsify asks the CA for a certificate. For HTTP-01 it first adds a temporary location to the port-80 site so nginx can serve the CA's check file, and removes it again afterwards, whatever happens. Esc cancels; nothing stays changed."
}

func (i *Issue) summary() string {
	iss, d := i.st.Issued, i.clock.Sub(i.start).Round(time.Second)
	if !iss.New {
		return "the installed certificate is still good until " + iss.Leaf.NotAfter.Format("2006-01-02")
	}
	return fmt.Sprintf("issued, valid until %s (%s)", iss.Leaf.NotAfter.Format("2006-01-02"), d)
}

func (i *Issue) View(w, h int) string {
	st, t := i.st, i.st.Theme
	s := st.Plan.Settings
	head := fmt.Sprintf("Getting a certificate for %s from %s", strings.Join(s.Domains, ", "), caHost(s.CADirectory))
	if !st.Plan.Issue {
		head = "Checking the installed certificate"
	}
	spin := ""
	if i.running {
		spin = i.spin.View()
		head += t.Muted.Render(fmt.Sprintf(" · %s", i.clock.Sub(i.start).Round(time.Second)))
	}
	lines := []string{ui.Hang("", head, w), ""}
	events := eventLines(t, st.since(i.logFrom), spin, st.Verbose, w)
	if i.err == nil {
		return strings.Join(append(lines, ui.Tail(events, h-len(lines))...), "\n")
	}
	a := explainIssue(i.err, s)
	mark := t.Fail.Render(ui.MarkFail + " ")
	if strings.HasPrefix(a.What, "Cancelled") {
		mark = t.Warn.Render(ui.MarkWarn + " ")
	}
	said := "Details:"
	if strings.Contains(i.err.Error(), "acme:") {
		said = "In the CA's words:"
	}
	details := strings.Split(ui.Hang("    ", oneParagraph(i.err.Error()), w), "\n")
	if len(details) > 6 {
		details = append(details[:5], "    …")
	}
	tail := []string{
		ui.Hang(mark, t.Bold.Render(a.What), w),
		ui.Hang("  ", a.Next, w),
		"",
		t.Muted.Render("  " + said),
		ui.Paint(t.Muted, strings.Join(details, "\n")),
	}
	body := strings.Split(strings.Join(tail, "\n"), "\n")
	if room := h - len(body) - len(lines) - 1; room > 2 {
		body = append(append(append(lines, ui.Tail(events, room)...), ""), body...)
	}
	return strings.Join(body, "\n")
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
