package nginx

import (
	"strings"
	"testing"
)

// requireNoControls fails on a byte a terminal would act on.
func requireNoControls(t *testing.T, s string) {
	t.Helper()
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) {
			t.Fatalf("control %U in %q", r, s)
		}
	}
}

// A server_name from the config is outside text: a refusal that names it
// escapes what a terminal would act on.
func TestPlanRefusalEscapesServerNames(t *testing.T) {
	site := strings.Replace(classicSite, "www.example.test;", "www.example.test \x1b[2Jevil.test\x07;", 1)
	tr := newTree(t, site)
	_, err := BuildPlan(tr.detection(t), tr.settings(t, Options{}))
	if err == nil || !strings.Contains(strings.ToLower(err.Error()), `also answers \x1b[2jevil.test\x07`) {
		t.Fatalf("err = %v", err)
	}
	requireNoControls(t, err.Error())
}
