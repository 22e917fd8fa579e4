package e2e

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/provision/dnschallenge/dnshelper"
)

// helperAnswers checks that the installed DNS provider helper at path
// runs on this machine and speaks the protocol: it opens rfc2136 (which
// contacts nothing when built) and reports the provider's own timeout
// and sequence interval, then exits when its input ends.
func helperAnswers(t *testing.T, path string) {
	t.Helper()
	req, _ := json.Marshal(dnshelper.Request{Op: dnshelper.OpOpen, Provider: "rfc2136",
		Values: map[string]string{"DNSUPDATE_NAMESERVER": "127.0.0.1:1", "DNSUPDATE_PROPAGATION_TIMEOUT": "7"}})
	c := exec.Command(path)
	c.Env = []string{"PATH=/usr/bin:/bin"}
	c.Stdin = strings.NewReader(string(req) + "\n")
	out, err := c.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", path, err, out)
	}
	var resp dnshelper.Response
	if err := json.Unmarshal(out, &resp); err != nil || resp.Error != nil || resp.Timeout != 7*time.Second || resp.Sequential == nil {
		t.Errorf("%s answered %q (%v), want rfc2136 opened with its 7s timeout and a sequence interval", path, out, err)
	}
}
