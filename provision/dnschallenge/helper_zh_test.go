package dnschallenge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/assets/i18n"
)

// The DNS helper's missing and refused errors in Chinese, the paths and
// the build command kept.
func TestFindHelperErrorsInChinese(t *testing.T) {
	i18n.Set(i18n.Zh)
	t.Cleanup(func() { i18n.Set(i18n.En) })
	root := t.TempDir()
	exe := filepath.Join(root, "bin", "httpsify")
	_, err := FindHelperFor(exe)
	if err == nil || !strings.Contains(err.Error(), "go build -o "+filepath.Join(root, "bin", HelperName)) || strings.Contains(err.Error(), "which is not installed") {
		t.Errorf("missing helper: %v", err)
	}
	installHelper(t, filepath.Join(root, "bin", HelperName), 0o775)
	_, err = FindHelperFor(exe)
	if err == nil || !strings.HasPrefix(err.Error(), "拒绝使用 DNS 服务商辅助程序：") {
		t.Errorf("group-writable helper: %v", err)
	}
	os.Chmod(filepath.Join(root, "bin", HelperName), 0o755)
}
