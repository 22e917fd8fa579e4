package steps

import (
	"errors"
	"fmt"
	"io"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/validate"
	"github.com/httpsify/httpsify/ui"
)

// plainWidth wraps plain output; screen readers do not care, and 80
// columns read well in a scrollback.
const plainWidth = 80

// RunPlain is the wizard as plain line prompts (huh's accessible mode),
// for screen readers and TERM=dumb: the same questions, fields and engine
// calls as the full-screen wizard, one after the other, without going
// back. It returns the exit code.
func RunPlain(st *State, in io.Reader, out io.Writer) int {
	r := &plain{st: st, in: in, out: out, steps: Steps(st)}
	code, err := r.run()
	if err != nil {
		fmt.Fprintln(out, ui.MarkFail+" "+err.Error())
	}
	return code
}

type plain struct {
	st    *State
	in    io.Reader
	out   io.Writer
	steps []ui.Step // the wizard's list: titles and numbers come from it
}

// section starts step i (a Step constant), numbered and titled as the
// full-screen wizard does.
func (r *plain) section(i int) {
	r.st.plainStep.Store(int32(i + 1))
	fmt.Fprint(r.out, i18n.T("\nStep %d of %d: %s\n\n", i+1, len(r.steps), r.steps[i].Title()))
}

// work runs engine work through the feed and prints its events as lines.
func (r *plain) work(fn func() tea.Msg) tea.Msg {
	r.st.Feed.Go(fn)
	for {
		m := r.st.Feed.Next()()
		ev, ok := m.(EventMsg)
		if !ok {
			return m
		}
		r.st.record(ev.Event)
		for _, l := range eventLines(r.st.Theme, []provision.Event{ev.Event}, "", r.st.Verbose, plainWidth) {
			fmt.Fprintln(r.out, l)
		}
	}
}

func (r *plain) ask(fields ...*ui.Field) error { return ui.Ask(r.in, r.out, fields...) }

func (r *plain) run() (int, error) {
	st := r.st
	if st.OfferLang {
		// No locale came over SSH: say once, in both languages, how to get
		// Chinese. Said, not asked, so answers piped in keep their order.
		fmt.Fprintln(r.out, "Language / 语言: English. 中文界面：httpsify --lang zh（或设置 LANG=zh_CN.UTF-8）")
		st.OfferLang = false
	}
	if st.Manager != nil {
		if h := NewHome(st); h.Managed() {
			goOn, code, err := r.home(h)
			if !goOn {
				return code, err
			}
		}
	}
	r.section(StepPreflight)
	pre := r.steps[StepPreflight].(*Preflight)
	done := r.work(func() tea.Msg {
		d, err := st.Engine.Detect(st.Ctx)
		return preflightDone{d, st.Preflight(st.Base), err}
	}).(preflightDone)
	st.Detection, st.Pre, pre.err = done.d, done.pre, done.err
	fmt.Fprintln(r.out, pre.View(plainWidth, 1000))
	if pre.err != nil {
		return 1, nil
	}

	for _, i := range []int{StepSite, StepCertificate} {
		r.section(i)
		if err := r.form(r.steps[i].(Asker)); err != nil {
			return 1, err
		}
	}
	r.section(StepIssue)
	if err := r.issue(); err != nil {
		return 1, err
	}
	r.section(StepLocation)
	if err := r.form(r.steps[StepLocation].(Asker)); err != nil {
		return 1, err
	}
	r.section(StepPreview)
	if err := r.preview(); err != nil {
		return 1, err
	}
	r.section(StepConfirm)
	c := r.steps[StepConfirm].(*Confirm)
	fmt.Fprintln(r.out, c.View(plainWidth, 1000))
	yes := ui.NewConfirm(i18n.T("Apply these changes?"), false)
	if err := r.ask(yes); err != nil {
		return 1, err
	}
	if !yes.Yes {
		fmt.Fprintln(r.out, i18n.T("Nothing was changed."))
		return 1, nil
	}
	r.section(StepDeploy)
	res := r.work(func() tea.Msg {
		res, err := st.Engine.Deploy(st.Ctx, st.Plan, st.Issued)
		return deployDone{res, err}
	}).(deployDone)
	if res.err != nil {
		return 1, i18n.Errorf("%v\nEvery file was restored and nginx runs its old configuration", res.err)
	}
	st.Result = res.res
	r.section(StepSummary)
	fmt.Fprintln(r.out, SummaryText(st, plainWidth, false))
	return 0, nil
}

// form asks a form step's questions one by one and submits them to the
// step's own checks, until they pass.
func (r *plain) form(s Asker) error {
	if l, ok := s.(lineMode); ok {
		l.lineMode()
	}
	s.Enter()
	for {
		for _, f := range s.Questions() {
			if err := r.ask(f); err != nil {
				return err
			}
			for _, l := range s.Answered(f) {
				fmt.Fprintln(r.out, l)
			}
		}
		if m, ok := s.(moreQuestions); ok {
			if err := m.askMore(r); err != nil {
				return err
			}
		}
		if err := r.submitAsking(s); err != nil {
			if errors.Is(err, errAskAll) {
				continue
			}
			return err
		}
		return nil
	}
}

// errAskAll: the refusal names no field, so every question comes again.
var errAskAll = errors.New("ask again")

// submitAsking submits a step's answers; a refusal naming a field asks
// that one question again (not all of them) until the answers pass. A
// warning that only needs saying once is said, then the answers are
// submitted again, as Enter does in the full-screen wizard.
func (r *plain) submitAsking(s Asker) error {
	for {
		_, field, err := s.Submit()
		var held *warnedOnce
		switch {
		case err == nil:
			return nil
		case errors.As(err, &held):
			for _, l := range held.lines {
				fmt.Fprintln(r.out, ui.Hang(ui.MarkWarn+" ", l, plainWidth))
			}
			continue
		}
		fmt.Fprintln(r.out, ui.Hang(ui.MarkFail+" ", planMessage(err), plainWidth))
		if field == nil {
			return errAskAll
		}
		if err := r.ask(field); err != nil {
			return err
		}
	}
}

func (r *plain) issue() error {
	st := r.st
	for {
		done := r.work(func() tea.Msg {
			iss, err := st.Engine.Issue(st.Ctx, st.Plan)
			return issueDone{iss, err}
		}).(issueDone)
		if done.err == nil {
			st.Issued = done.iss
			return nil
		}
		a := explainIssue(done.err, st.Settings)
		fmt.Fprintln(r.out, ui.Hang(ui.MarkFail+" ", a.What+" "+a.Next, plainWidth))
		fmt.Fprintln(r.out, ui.Hang("  ", oneParagraph(done.err.Error()), plainWidth))
		again := ui.NewConfirm(i18n.T("Try again?"), false)
		if err := r.ask(again); err != nil {
			return err
		}
		if !again.Yes {
			return i18n.Errorf("no certificate; nothing was changed")
		}
	}
}

// preview asks the four options first, then prints every file in full
// and its diff: a line reader cannot toggle and scroll.
func (r *plain) preview() error {
	st := r.st
	o := &st.Opts
	hsts := ui.NewConfirm(i18n.T("Send HSTS (browsers then refuse plain http for two years; hard to undo)?"), o.HSTS)
	h2 := ui.NewConfirm(i18n.T("Enable HTTP/2?"), !o.NoHTTP2)
	body := ui.NewText(i18n.T("Largest upload nginx accepts (empty: keep %s)", st.Plan.BodySize), o.ClientMaxBodySize)
	body.Optional = true
	body.Check = func(v string) (string, error) { _, err := validate.BodySize(v); return "", err }
	profile := ui.NewChoice(i18n.T("TLS profile"), st.Settings.TLSProfile,
		ui.Option{Label: i18n.T("intermediate: TLS 1.2 and 1.3 (works with older phones)"), Value: "intermediate"},
		ui.Option{Label: i18n.T("modern: TLS 1.3 only (older Android and WeChat versions cannot connect)"), Value: "modern"})
	for {
		if err := r.ask(hsts, h2, body, profile); err != nil {
			return err
		}
		old := *o
		o.HSTS, o.NoHTTP2, o.ClientMaxBodySize, o.TLSProfile = hsts.Yes, !h2.Yes, body.Value(), profile.Value()
		if err := st.Settle(); err != nil {
			*o = old
			fmt.Fprintln(r.out, ui.MarkFail+" "+planMessage(err))
			continue
		}
		break
	}
	// The changes first: a screen reader reads every line, so whole
	// files only on request.
	files := renderFiles(st.Theme, st.Plan)
	for _, f := range files {
		fmt.Fprint(r.out, i18n.T("\n--- changes to %s (%s)\n", f.Path, f.Verb))
		fmt.Fprintln(r.out, joinPreview(f.Diff))
	}
	if len(files) > 0 {
		whole := ui.NewConfirm(i18n.T("Show the whole new files too?"), false)
		if err := r.ask(whole); err != nil {
			return err
		}
		for _, f := range files {
			if !whole.Yes {
				break
			}
			fmt.Fprint(r.out, i18n.T("\n--- %s %s: the whole file\n", f.Verb, f.Path))
			fmt.Fprintln(r.out, joinPreview(f.Full))
		}
	}
	fmt.Fprintln(r.out, "\n"+i18n.Tr(unchangedNote)+i18n.T("."))
	return nil
}

func joinPreview(lines []previewLine) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.Mark + l.Text
	}
	return strings.Join(out, "\n")
}
