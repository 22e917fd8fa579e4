package provision

import (
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/dnschallenge"
	"github.com/httpsify/httpsify/provision/renewdue"
	"github.com/httpsify/httpsify/provision/statedir"
)

// inChinese switches the catalog to Chinese for one test.
func inChinese(t *testing.T) {
	t.Helper()
	i18n.Set(i18n.Zh)
	t.Cleanup(func() { i18n.Set(i18n.En) })
}

func wantChinese(t *testing.T, what, got, zh string) {
	t.Helper()
	if !strings.Contains(got, zh) {
		t.Errorf("%s in Chinese: %q, want it to contain %q", what, got, zh)
	}
}

// The renewal reasons `httpsify renew` prints for each site, and the
// refusals it gives, in Chinese; the English texts stay as they were.
func TestRenewalReasonsInChinese(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	leaf := &x509.Certificate{NotAfter: at.Add(30 * 24 * time.Hour)}
	notDue := &DueCheck{Leaf: leaf, Decision: renewdue.Decision{At: at, Reason: renewdue.ByARI}}
	due := &DueCheck{Leaf: leaf, Decision: renewdue.Decision{Due: true, At: at, Reason: renewdue.ByLifetime}}
	manualSite := &Settings{Request: Request{Challenge: "dns-01", DNSProvider: dnschallenge.ManualCode, Domains: []string{"example.com"}}}
	hook := &HookError{Hook: "systemctl restart app", Err: errors.New("exit status 1")}
	unknown := error(&NotManagedError{Name: "example.org"})

	enNotDue := notDue.Why()
	if want := "not due until 2026-03-01T00:00:00Z (the time chosen in the CA's renewal window (ARI)); expires 2026-03-31T00:00:00Z"; enNotDue != want {
		t.Fatalf("English: %q, want %q", enNotDue, want)
	}
	enManual := manualDNSRenewal(manualSite).Error()

	inChinese(t)
	manual := manualDNSRenewal(manualSite)
	wantChinese(t, "not due", notDue.Why(), "之前不用续期")
	wantChinese(t, "not due", notDue.Why(), "续期窗口（ARI）")
	wantChinese(t, "due", due.Why(), "有效期只剩三分之一")
	wantChinese(t, "forced", (&DueCheck{Leaf: leaf, Forced: true}).Why(), "强制续期（--force）")
	wantChinese(t, "manual DNS", manual.Error(), "手动 DNS 无法自动续期")
	wantChinese(t, "manual DNS", manual.Error(), "--dns-provider manual")
	wantChinese(t, "deploy hook", hook.Error(), "部署钩子")
	wantChinese(t, "unknown site", ErrUnknownSite.Error(), "没有这个域名")
	wantChinese(t, "not managed", unknown.Error(), "不是 httpsify 在这台服务器上管理的站点")
	if !errors.Is(manual, ErrManualDNSRenewal) {
		t.Fatal("the manual DNS refusal no longer wraps ErrManualDNSRenewal")
	}
	if manual.Error() == enManual {
		t.Fatal("the manual DNS refusal is still English")
	}
}

// --deploy-hook and --profile refusals, and the schedule's refusal of a
// temporary binary, in Chinese.
func TestRenewOptionsRefusedInChinese(t *testing.T) {
	inChinese(t)
	err := CheckRenewOptions("", "   ")
	if err == nil {
		t.Fatal("a blank deploy hook was accepted")
	}
	wantChinese(t, "blank hook", err.Error(), "--deploy-hook：全是空白")
	err = CheckRenewOptions("Bad Profile", "")
	if err == nil {
		t.Fatal("a bad profile name was accepted")
	}
	wantChinese(t, "profile", err.Error(), "不是有效的 profile 名称")
	wantChinese(t, "temporary binary", ErrTemporaryBinary.Error(), "临时目录")
}

// The uploaded-certificate options' refusals in Chinese, flag names kept.
func TestUploadOptionsRefusedInChinese(t *testing.T) {
	inChinese(t)
	err := Options{ChainFile: "/tmp/chain.pem"}.validateUpload(&Settings{})
	if err == nil {
		t.Fatal("--chain-file alone was accepted")
	}
	wantChinese(t, "chain alone", err.Error(), "--chain-file：要和 --cert-file、--key-file 一起用")
	err = Options{KeyFile: "/tmp/site.key"}.validateUpload(&Settings{})
	if err == nil {
		t.Fatal("--key-file alone was accepted")
	}
	wantChinese(t, "key alone", err.Error(), "用了 --key-file 就必须给")
}

// status on a certificate directory httpsify did not make: the warning
// reads in Chinese.
func TestStatusCertificateWarningInChinese(t *testing.T) {
	inChinese(t)
	l := statedir.Layout(t.TempDir())
	_, why := installedLeaf(l, t.TempDir())
	wantChinese(t, "foreign cert dir", why, "是一个不归 httpsify 管理的目录")
}
