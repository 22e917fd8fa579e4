package renewdue

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
)

// renew prints the CA's renewal information errors as a warning: in
// Chinese they read in Chinese.
func TestRenewalInfoErrorsInChinese(t *testing.T) {
	i18n.Set(i18n.Zh)
	t.Cleanup(func() { i18n.Set(i18n.En) })
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	bad := &InvalidWindowError{Window: Window{Start: at, End: at.Add(-time.Hour)}}
	err := error(&FetchError{CertID: "abc.123", Err: bad})
	want := "abc.123 的续期信息：CA 给出的续期窗口结束时间（2026-02-28T23:00:00Z）早于开始时间（2026-03-01T00:00:00Z）"
	if err.Error() != want {
		t.Errorf("%q, want %q", err, want)
	}
	var iw *InvalidWindowError
	if !errors.As(err, &iw) || !strings.Contains(err.Error(), "续期窗口") {
		t.Errorf("typed error lost: %v", err)
	}
}
