package provision

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/termtext"
)

// DeployHookTimeout bounds a deploy hook: a hung hook must not hold the
// lock (and every later renewal) forever.
const DeployHookTimeout = 10 * time.Minute

// HookError is a deploy hook that failed after a renewal that succeeded:
// reported, never rolled back (the new certificate is served).
type HookError struct {
	Hook   string
	Output string // sanitised, the last lines
	Err    error
}

func (e *HookError) Error() string {
	msg := i18n.T("the deploy hook %q failed: %v", termtext.Line(e.Hook), e.Err)
	if e.Output != "" {
		msg += "\n" + e.Output
	}
	return msg
}
func (e *HookError) Unwrap() error { return e.Err }

// runDeployHook runs the site's hook with /bin/sh, in the engine's clean
// environment plus certbot's names for what was renewed (so hooks
// written for certbot work): RENEWED_LINEAGE (the certificate directory)
// and RENEWED_DOMAINS (the names, space-separated).
func runDeployHook(ctx context.Context, s *Settings) error {
	if s.DeployHook == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, DeployHookTimeout)
	defer cancel()
	cmd := command(ctx, "/bin/sh", "-c", s.DeployHook)
	cmd.Env = append(cmd.Env, "RENEWED_LINEAGE="+s.CertDir, "RENEWED_DOMAINS="+strings.Join(s.Domains, " "))
	cmd.Dir = "/"
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return &HookError{Hook: s.DeployHook, Output: lastLines(termtext.Clean(out.String()), 5), Err: err}
	}
	return nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
