package dnschallenge

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/httpsify/httpsify/provision/dnschallenge/dnshelper/helpertest"
)

// The real helper, built once per test process from cmd/httpsify-dns-provider.
var built struct {
	once      sync.Once
	dir, path string
	err       error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// helperBinary is the path of the real helper, built for this test run.
func helperBinary(tb testing.TB) string {
	tb.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "dnshelper-"); built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, HelperName)
		built.err = helpertest.Build(built.path)
	})
	if built.err != nil {
		tb.Fatal(built.err)
	}
	return built.path
}

// testHelper runs the real helper with a child's environment (PATH only)
// and the given resolvers.
func testHelper(tb testing.TB, resolvers ...string) Helper {
	return Helper{Path: helperBinary(tb), Env: []string{"PATH=" + os.Getenv("PATH")}, Resolvers: resolvers}
}
