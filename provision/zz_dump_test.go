package provision

import (
	"os"
	"testing"

	"github.com/httpsify/httpsify/e2e/corpus"
)

func TestZZDump(t *testing.T) {
	sites, _ := corpus.Sites()
	for _, site := range sites {
		if os.Getenv("ZZ") != site.Name {
			continue
		}
		conf, params := corpusTree(t, site)
		p, _ := corpusPlan(t, conf, params)
		for _, c := range p.Prepare {
			t.Logf("PREPARE %s\n%s", c.Path, c.Content)
		}
		for _, c := range p.Files {
			t.Logf("FILE %s\n%s", c.Path, c.Content)
		}
		t.Logf("warnings %q webroot %s upstream %s", p.Warnings, p.Webroot, p.Upstream)
	}
}
