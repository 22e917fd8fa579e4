package steps

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision"
)

// inChinese switches the catalog to Chinese for one test.
func inChinese(t *testing.T) {
	t.Helper()
	i18n.Set(i18n.Zh)
	t.Cleanup(func() { i18n.Set(i18n.En) })
}

// zhScreens are the wizard's main screens, set up as the English view
// tests set them up, each with a text that shows it has been drawn.
var zhScreens = []struct {
	name  string
	setup func(t *testing.T) (*State, int)
	wait  string
	keys  []string
}{
	{"preflight", func(t *testing.T) (*State, int) {
		st, _ := newState(t)
		heldHTTPS(st)
		return st, StepPreflight
	}, "httpsify 管理的证书", nil},
	{"site", func(t *testing.T) (*State, int) {
		st, _ := newState(t)
		st.Detection, st.Pre = fixDetection(t), st.Preflight(st.Base)
		return st, StepSite
	}, "203.0.113.10", nil},
	{"certificate", func(t *testing.T) (*State, int) {
		st, _ := siteAnswered(t)
		return st, StepCertificate
	}, "https://letsencrypt.org/documents", nil},
	{"issue-failed", func(t *testing.T) (*State, int) {
		st, fe := newState(t)
		answered(t, st, false)
		fe.issueEvents = issueEvents
		fe.issueErr = &provision.IssueError{Cause: provision.CauseConnection, FromCA: true, Problem: "urn:ietf:params:acme:error:connection", Err: errors.New("the CA did not issue the certificate: 203.0.113.10: Timeout during connect (likely firewall problem)")}
		return st, StepIssue
	}, "CA 的原话", nil},
	{"location", func(t *testing.T) (*State, int) {
		st, _ := newState(t)
		answered(t, st, true)
		return st, StepLocation
	}, "chain.pem", nil},
	{"preview", func(t *testing.T) (*State, int) {
		st, _ := newState(t)
		answered(t, st, true)
		return st, StepPreview
	}, "HSTS 关", nil},
	{"preview-help", func(t *testing.T) (*State, int) {
		st, _ := newState(t)
		answered(t, st, true)
		return st, StepPreview
	}, "按键", []string{"?"}},
	{"confirm", func(t *testing.T) (*State, int) {
		st, _ := newState(t)
		answered(t, st, true)
		return st, StepConfirm
	}, "应用这些改动吗？", nil},
	{"summary", func(t *testing.T) (*State, int) {
		st, _ := newState(t)
		answered(t, st, true)
		st.Result = fixResult(st.Plan, st.Issued)
		return st, StepSummary
	}, "改了什么", nil},
}

// TestChineseViews: every main screen in Chinese, as golden files at
// 80x24 and 120x40, and at 60x20 too for the width check alone:
// finalView fails when a line is wider than the terminal in display
// cells (a CJK character takes two) or the view is taller.
func TestChineseViews(t *testing.T) {
	for _, sc := range zhScreens {
		for _, sz := range append(sizes, struct {
			name string
			w, h int
		}{"60x20", 60, 20}) {
			t.Run(sc.name+"-"+sz.name, func(t *testing.T) {
				inChinese(t)
				st, step := sc.setup(t)
				tm := start(t, st, step, sz.w, sz.h)
				if len(sc.keys) > 0 {
					waitFor(t, tm, "第 ")
					for _, k := range sc.keys {
						tm.Send(press(k))
					}
				}
				waitFor(t, tm, sc.wait)
				_, v := finalView(t, tm, sz.w, sz.h)
				if !strings.Contains(v, "步") {
					t.Errorf("the header is not in Chinese:\n%s", v)
				}
				if sz.w != 60 {
					golden(t, v)
				}
			})
		}
	}
}

// No locale came over SSH: every screen's header offers the switch from
// the first on, without holding the wizard up (a clean preflight still
// moves on by itself); ctrl+l switches every text, again switches back.
func TestHeaderOffersChinese(t *testing.T) {
	t.Cleanup(func() { i18n.Set(i18n.En) })
	st, _ := newState(t)
	st.OfferLang = true
	tm := start(t, st, StepPreflight, 80, 24)
	waitFor(t, tm, "Step 2 of 9 · Site and domain  ctrl+l 中文")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlL})
	waitFor(t, tm, "第 2/9 步 · 网站和域名  ctrl+l English")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlL})
	waitFor(t, tm, "Step 2 of 9 · Site and domain  ctrl+l 中文")
	_, v := finalView(t, tm, 80, 24)
	if i18n.Current() != i18n.En || !strings.Contains(v, "Which site should get HTTPS?") {
		t.Fatalf("not back in English:\n%s", v)
	}
}

// A locale that was forwarded (or --lang): no offer.
func TestNoOfferWhenLocaleKnown(t *testing.T) {
	st, _ := newState(t)
	tm := start(t, st, StepPreflight, 80, 24)
	waitFor(t, tm, "Step 2 of 9")
	_, v := finalView(t, tm, 80, 24)
	if strings.Contains(v, "ctrl+l") || strings.Contains(v, "中文") {
		t.Fatalf("offered the switch:\n%s", v)
	}
}

// The line prompts (--accessible, TERM=dumb) in Chinese: the same whole
// run as TestPlainWholeRun, answered the same way, every step's heading,
// question and next step in Chinese.
func TestPlainWholeRunInChinese(t *testing.T) {
	inChinese(t)
	st, fe := newState(t)
	fe.issueEvents, fe.deployEvents = issueEvents, deployOK
	answers := strings.Join([]string{
		"1", "", "",
		"1", "1", "me@example.org", "y",
		"",
		"n", "", "", "1",
		"",
		"y",
	}, "\n") + "\n"
	var out strings.Builder
	code := RunPlain(st, strings.NewReader(answers), &out)
	text := out.String()
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, text)
	}
	for _, want := range []string{
		"第 1/9 步：检查环境", "www.example.test → 203.0.113.10", "服务条款：https://letsencrypt.org",
		"要给哪个网站配 HTTPS？", "CA 用什么方式确认域名归你管", "开启 HSTS 吗", "应用这些改动吗？",
		"你网站的文件还没有改动。", "第 9/9 步：总结", "接下来要做的", "request 合法域名", "ICP 备案", "ProxyFix",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if fe.deploys != 1 || strings.Contains(text, "✗") {
		t.Fatalf("deploys %d; an answer was refused:\n%s", fe.deploys, text)
	}
}

// Line prompts with no locale: the first line says how to get Chinese,
// in both languages, without asking (piped answers keep their order);
// the run goes on in English.
func TestPlainOffersLanguage(t *testing.T) {
	st, _ := newState(t)
	st.OfferLang = true
	var out strings.Builder
	RunPlain(st, strings.NewReader(""), &out) // the input ends at once
	text := out.String()
	if i := strings.Index(text, "httpsify --lang zh"); i < 0 || i > strings.Index(text, "Step 1 of 9") {
		t.Fatalf("the way to Chinese is not said first:\n%s", text)
	}
	if !strings.Contains(text, "Certificates httpsify manages") {
		t.Fatalf("not in English:\n%s", text)
	}
}
