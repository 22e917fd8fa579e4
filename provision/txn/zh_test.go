package txn

import (
	"os"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/assets/i18n"
)

// A file edited while httpsify writes: the refusal reaches the user in
// Chinese, naming the file, and nothing is changed, as in English.
func TestCommitRefusalInChinese(t *testing.T) {
	i18n.Set(i18n.Zh)
	t.Cleanup(func() { i18n.Set(i18n.En) })
	f := newFixture(t, t.TempDir())
	tx, err := Begin(f.state, f.changes())
	must(t, err)
	must(t, os.WriteFile(f.p("conf.d/secret.conf"), []byte("edited\n"), 0o600))
	err = tx.Commit()
	if err == nil {
		t.Fatal("Commit accepted a target edited after Begin")
	}
	for _, want := range []string{"事务 " + tx.ID + "：", f.p("conf.d/secret.conf") + " 在 httpsify 开始修改之后被改过", "没有改动任何目标文件"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if got := (&UntrustedJournalError{Path: "/var/lib/httpsify/txn/x.json", Why: "it is a symlink"}).Error(); !strings.HasPrefix(got, "事务：拒绝使用日志 /var/lib/httpsify/txn/x.json") {
		t.Errorf("untrusted journal: %q", got)
	}
}

// A target whose directory is missing: refused in Chinese before
// anything is written.
func TestBeginRefusalInChinese(t *testing.T) {
	i18n.Set(i18n.Zh)
	t.Cleanup(func() { i18n.Set(i18n.En) })
	root := t.TempDir()
	target := root + "/missing/site.conf"
	_, err := Begin(root+"/state", []Change{{Path: target, Content: []byte("x\n"), Mode: 0o644}})
	if err == nil || !strings.Contains(err.Error(), "事务："+target+" 的上级目录 "+root+"/missing 不存在") {
		t.Errorf("missing parent: %v", err)
	}
}
