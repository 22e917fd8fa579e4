package tlsaudit

import (
	"strings"
	"testing"

	"github.com/httpsify/httpsify/assets/i18n"
)

// The classic tutorial's block audited in Chinese: every finding and
// hint reads in Chinese, with the directives, protocol names and suite
// names left as nginx spells them.
func TestTutorialBlockInChinese(t *testing.T) {
	i18n.Set(i18n.Zh)
	t.Cleanup(func() { i18n.Set(i18n.En) })
	fs := audit(t, Input{HTTP: debianHTTP, Server: tutorialServer, NginxVersion: "1.22.1"})
	for _, c := range []struct {
		kind      Kind
		msg, hint string
	}{
		{KindSSLOn, "\"ssl on;\" 从 nginx 1.15.0 起已不推荐使用", "只在 HTTPS 的 listen 上写 \"listen 443 ssl;\""},
		{KindOldProtocols, "ssl_protocols 启用了 TLSv1, TLSv1.1，浏览器已经不再支持，微信也会拒绝", "改成 ssl_protocols TLSv1.2 TLSv1.3;"},
		{KindNoTLS13, "ssl_protocols 没有启用 TLSv1.3", ""},
		{KindBroadCipherAlias, "ssl_ciphers 依赖 HIGH", "Mozilla intermediate"},
		{KindNoForwardSecrecy, "个没有前向保密的套件（静态 RSA 密钥交换）：", "ECDHE 搭配 AES-GCM"},
		{KindNonAEAD, "个不带认证加密的 CBC 套件：", ""},
	} {
		f := find(fs, c.kind)
		if f == nil {
			t.Fatalf("no finding %v in %v", c.kind, fs)
		}
		if !strings.Contains(f.Message, c.msg) || !strings.Contains(f.Hint, c.hint) {
			t.Errorf("%v: %q (%q), want %q (%q)", c.kind, f.Message, f.Hint, c.msg, c.hint)
		}
	}
	if f := find(fs, KindNoForwardSecrecy); len(f.Suites) > 3 && !strings.Contains(f.Message, "，另外还有 ") {
		t.Errorf("a long suite list is not cut in Chinese: %q", f.Message)
	}
	// Inherited from the http level: the subject says so.
	fs = audit(t, Input{HTTP: debianHTTP, Server: []Directive{d("listen", "443", "ssl")}, NginxVersion: "1.22.1"})
	if f := find(fs, KindOldProtocols); f == nil || !strings.HasPrefix(f.Message, "http 级别的 ssl_protocols（这个 server 继承了它）启用了") {
		t.Errorf("inherited protocols: %v", f)
	}
}
