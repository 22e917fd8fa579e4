package certcheck

import (
	"strings"
	"testing"

	"github.com/httpsify/httpsify/assets/i18n"
)

// The refusals of an uploaded certificate a Chinese user meets most: a
// key from another download, a missing intermediate, an expired
// certificate, names not covered, a key file others can read, a key file
// that is not there; each with its hint, in Chinese, and the commands
// and paths in them unchanged.
func TestFindingsInChinese(t *testing.T) {
	i18n.Set(i18n.Zh)
	t.Cleanup(func() { i18n.Set(i18n.En) })
	p := newPKI(t)
	leaf, key := p.leaf(leafOpts{})
	_, other := p.leaf(leafOpts{})
	old, oldKey := p.leaf(leafOpts{notBefore: now.AddDate(0, -4, 0), notAfter: now.AddDate(0, 0, -1)})
	good := p.write("site.pem", certPEM(leaf, p.inter), 0o644)
	bare := p.write("bare.pem", certPEM(leaf), 0o644)
	goodKey := p.write("site.key", keyPEM(t, key), 0o600)
	openKey := p.write("open.key", keyPEM(t, key), 0o644)
	otherKey := p.write("other.key", keyPEM(t, other), 0o600)
	expired := p.write("old.pem", certPEM(old, p.inter), 0o644)
	expiredKey := p.write("old.key", keyPEM(t, oldKey), 0o600)

	for _, c := range []struct {
		name      string
		in        Input
		kind      Kind
		msg, hint string
	}{
		{"key mismatch", p.input(good, otherKey), KindKeyMismatch, "私钥和", ""},
		{"missing intermediate", p.input(bare, goodKey), KindIntermediateMissing, "中间证书", ""},
		{"expired", p.input(expired, expiredKey), KindExpired, "过期", "改用 ACME"},
		{"names", p.input(good, goodKey, "example.org"), KindNameNotCovered, "example.org", "换一张包含"},
		{"readable key", p.input(good, openKey), KindKeyReadableByOthers, "其他用户也能读", "chmod 600 "},
		{"no key file", p.input(good, p.dir+"/nothing.key"), KindUnreadable, "不存在", ""},
	} {
		f := mustFind(t, Check(c.in), c.kind)
		if !strings.Contains(f.Message, c.msg) || !strings.Contains(f.Hint, c.hint) {
			t.Errorf("%s: %q (%q), want %q (%q)", c.name, f.Message, f.Hint, c.msg, c.hint)
		}
	}
}
