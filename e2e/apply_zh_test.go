package e2e

import (
	"strings"
	"testing"
)

// apply with a Chinese locale against nginx and Pebble: the progress
// lines (phase names included) and the summary are Chinese, commands and
// paths stay as they are, and the site really serves https.
func TestApplyInChinese(t *testing.T) {
	sb := newSandbox(t)
	out, code := runEnv(t, []string{"LANG=zh_CN.UTF-8", "LC_ALL=", "LC_MESSAGES="}, append([]string{"apply"}, sb.ApplyArgs()...)...)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	for _, want := range []string{"✓ 检测", "正在读取 nginx 配置", "签发", "证书已签发，有效期至", "验证", "已在使用新证书", "已经上线（用时", "  证书：", "  原文件备份：", "cp -a "} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if status, body := getHTTPS(t, sb, "/"); status != 200 || !strings.Contains(body, "Hello from the demo app") {
		t.Fatalf("https / = %d %q", status, body)
	}
	// Bad input in Chinese: exit 2, the flag named, nothing written.
	out, code = runEnv(t, []string{"LANG=zh_CN.UTF-8", "LC_ALL="}, "apply", "--domain", "bad..name", "--yes")
	if code != 2 || !strings.Contains(out, "--domain：") || !strings.Contains(out, "连着两个点") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}
