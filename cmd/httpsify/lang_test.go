package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/assets/i18n"
)

func resetLang(t *testing.T) {
	t.Cleanup(func() { i18n.Set(i18n.En); langChosen = false })
}

// --lang takes en or zh; anything else is bad input: exit 2, naming the
// flag, before any command runs.
func TestLangFlagRefusesOtherLanguages(t *testing.T) {
	resetLang(t)
	var out, errOut bytes.Buffer
	if code := run([]string{"--lang", "fr", "version"}, &out, &errOut); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if !strings.Contains(errOut.String(), "--lang") || out.Len() != 0 {
		t.Fatalf("stderr %q, stdout %q", errOut.String(), out.String())
	}
}

// --help speaks the language --lang or the locale picks, cobra's own
// headings included; --lang wins over the locale.
func TestHelpInChinese(t *testing.T) {
	resetLang(t)
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "zh_CN.UTF-8")
	var out bytes.Buffer
	if code := run([]string{"apply", "--help"}, &out, &out); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"除了最后的确认", "用法：", "选项：", "证书的域名", "--domain"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("apply --help lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := run([]string{"--lang=en", "apply", "--help"}, &out, &out); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out.String(), "domain name for the certificate") || strings.Contains(out.String(), "用法") {
		t.Errorf("--lang=en did not win over LANG:\n%s", out.String())
	}
}

func TestLangArg(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
		ok   bool
	}{
		{[]string{"--lang", "zh"}, "zh", true},
		{[]string{"apply", "--lang=en"}, "en", true},
		{[]string{"-lang", "zh"}, "zh", true},
		{[]string{"apply", "--", "--lang", "zh"}, "", false},
		{[]string{"apply"}, "", false},
	} {
		got, ok := langArg(c.args)
		if got != c.want || ok != c.ok {
			t.Errorf("%v: %q %v", c.args, got, ok)
		}
	}
}

// --version's DNS helper line in Chinese. The test binary has no helper
// beside it, so the line says where it looked.
func TestVersionDNSHelperLineInChinese(t *testing.T) {
	resetLang(t)
	i18n.Set(i18n.Zh)
	got := dnsHelperLine()
	if !strings.HasPrefix(got, "未安装（通过 DNS 服务商做 DNS-01 验证需要 ") || !strings.Contains(got, " 或 ") {
		t.Errorf("dns line: %q", got)
	}
}
