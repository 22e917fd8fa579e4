package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// The seed's reader, with a Chinese locale: the same run as
// TestWizardInTerminal, through the real binary in tmux at 80x24 against
// nginx and Pebble, every screen in Chinese, ending with the site served
// over https; the ✓ transcript in the scrollback is Chinese too.
func TestWizardInTerminalChinese(t *testing.T) {
	sb := newSandbox(t)
	tm := startTermEnv(t, []string{"LANG=zh_CN.UTF-8", "LC_ALL=", "LC_MESSAGES="}, wizardArgs(sb)...)
	const step, issuance = 15 * time.Second, 90 * time.Second

	s := tm.waitFor(step, "第 2/9 步 · 网站和域名", sb.Domain+" → 127.0.0.1")
	if !strings.Contains(s, "● "+sb.Domain) || !strings.Contains(s, "要给哪个网站配 HTTPS？") {
		t.Fatalf("the site step is not in Chinese or not pre-filled:\n%s", s)
	}
	if strings.Contains(s, "ctrl+l") {
		t.Fatalf("a zh_CN locale was given, yet the switch is offered:\n%s", s)
	}
	tm.keys("Enter")
	tm.waitFor(step, "第 3/9 步", "› 邮箱")
	tm.typeText("admin@example.org")
	tm.keys("Enter")
	tm.waitFor(step, "› 是否同意 CA 的服务条款？", "服务条款：")
	tm.keys("y")
	tm.waitFor(issuance, "第 5/9 步", "新证书："+sb.Domain)
	tm.keys("Enter")
	tm.waitFor(step, "第 6/9 步", "你网站的文件还没有改动", "listen "+strconv.Itoa(sb.HTTPSPort)+" ssl")
	tm.keys("Enter")
	tm.waitFor(step, "第 7/9 步", "应用这些改动吗？")
	tm.keys("y")
	tm.waitFor(issuance, "第 9/9 步", "已经上线", "改了什么")
	tm.keys("Enter")
	tm.waitFor(step, "WIZARD-EXIT=0")
	scrollback := strings.Join(strings.Fields(tm.tmux("capture-pane", "-p", "-J", "-S", "-300", "-t", tm.name)), " ")
	for _, want := range []string{"✓ 检查环境", "✓ 申请证书", "✓ 预览", "✓ 重新加载并验证", "https 访问 / 的结果：200 OK，和以前一样", "接下来要做的", "ICP 备案", "request 合法域名", "sudo httpsify apply --domain " + sb.Domain} {
		if !strings.Contains(scrollback, want) {
			t.Errorf("the scrollback lacks %q:\n%s", want, scrollback)
		}
	}
	code, body := getHTTPS(t, sb, "/")
	if code != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Fatalf("https: %d %q", code, body)
	}
}

// No locale came over SSH (LANG=C.UTF-8): the wizard goes on in English
// as before, its header offering ctrl+l; ctrl+l turns the screen Chinese.
func TestWizardOffersChineseWithoutLocale(t *testing.T) {
	sb := newSandbox(t)
	tm := startTermEnv(t, []string{"LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES="}, wizardArgs(sb)...)
	tm.waitFor(15*time.Second, "Step 2 of 9 · Site and domain", "ctrl+l 中文")
	tm.keys("C-l")
	tm.waitFor(5*time.Second, "第 2/9 步 · 网站和域名", "ctrl+l English", "要给哪个网站配 HTTPS？")
	tm.keys("C-c")
	tm.waitFor(5*time.Second, "WIZARD-EXIT=130")
}
