package certbot

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/assets/i18n"
)

// certbot's refusals reach the user in the takeover's errors: in
// Chinese they read in Chinese, the paths and modes kept, and
// errors.Is still tells them apart.
func TestRefusalsInChinese(t *testing.T) {
	i18n.Set(i18n.Zh)
	t.Cleanup(func() { i18n.Set(i18n.En) })

	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "renewal"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir)
	if !errors.Is(err, ErrUnsafeDir) {
		t.Fatalf("a world-writable certbot dir: %v, want ErrUnsafeDir", err)
	}
	for _, want := range []string{"（权限 0777）同组用户或其他用户可以写入", "其他用户可以改动它"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}

	err = checkName("../etc")
	if !errors.Is(err, ErrBadName) || !strings.Contains(err.Error(), "证书名（lineage）无效") {
		t.Errorf("a bad lineage name: %v", err)
	}

	_, err = parseConf("/etc/letsencrypt/renewal/example.com.conf", []byte("[renewalparams\n"))
	var pe *ParseError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "example.com.conf:1: 节标题格式不对") {
		t.Errorf("a malformed renewal conf: %v", err)
	}

	err = i18n.Errorf("lineage %s: its %s could not be found inside %s: %w", "example.com", "privkey", "/etc/letsencrypt", ErrOutsideDir)
	if !errors.Is(err, ErrOutsideDir) || err.Error() != "证书 example.com：在 /etc/letsencrypt 里找不到它的 privkey：路径指向了 certbot 目录之外" {
		t.Errorf("reordered arguments: %q", err)
	}
}
