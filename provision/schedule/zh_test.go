package schedule

import (
	"os"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/assets/i18n"
)

// The schedule's report lines and refusals in Chinese; unit and file
// names, flags and commands kept.
func TestScheduleTextsInChinese(t *testing.T) {
	i18n.Set(i18n.Zh)
	t.Cleanup(func() { i18n.Set(i18n.En) })
	for _, c := range []struct{ got, want string }{
		{Result{Mode: None}.Summary(), "没有自动续期计划任务：请自己每天运行两次 `httpsify renew`"},
		{Result{Mode: Systemd}.Summary(), "保留 " + TimerName + "（systemd，每天两次）：已经装好了"},
		{(&NoSchedulerError{Mode: Cron}).Error(), "计划任务：没有安装 cron（没有 /etc/cron.d）"},
		{(&UnsafePathError{Path: "/etc/cron.d/x", Found: describeMode(os.ModeDir)}).Error(), "/etc/cron.d/x 是一个目录，不是 httpsify 写的文件；请删掉它，或者选择 --schedule none"},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%q lacks %q", c.got, c.want)
		}
	}
	if _, err := ParseMode("anacron"); err == nil || !strings.Contains(err.Error(), "--schedule：\"anacron\" 不是") {
		t.Errorf("bad mode: %v", err)
	}
}
