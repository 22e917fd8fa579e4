package provision

import (
	"context"
	"os"
	"os/exec"
	"strings"
)

// defaultPath is used when httpsify itself was started without PATH.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// childEnv is the whole environment of every command httpsify runs. It is
// an allowlist, not a list of secrets to drop: the EAB HMAC, and DNS
// provider credentials later, must never reach nginx -t, a reload, or an
// nginx master started through us (which would keep them for its life),
// whatever they are named.
func childEnv() []string {
	env := []string{}
	hasPath := false
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "PATH":
			hasPath = true
		case name == "LANG", name == "LANGUAGE", name == "TERM", name == "TZ",
			strings.HasPrefix(name, "LC_"):
		default:
			continue
		}
		env = append(env, kv)
	}
	if !hasPath {
		env = append(env, "PATH="+defaultPath)
	}
	return env
}

// command is exec.CommandContext with childEnv: every exec in provision
// goes through it.
func command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = childEnv()
	return cmd
}

// Command is command for the server implementations: every program the
// engine runs gets the same clean environment.
func Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return command(ctx, name, args...)
}
