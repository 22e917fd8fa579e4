package provision

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/httpsify/httpsify/provision/termtext"
)

// selfCheck fetches a test file through port 80 before the CA is asked,
// so a broken challenge path fails in a second with a clear message
// instead of a CA error and a used-up rate limit.
func selfCheck(ctx context.Context, p *Plan) error {
	tokenBytes := make([]byte, 12)
	rand.Read(tokenBytes)
	token := "httpsify-check-" + hex.EncodeToString(tokenBytes)
	file, err := writeChallengeFile(p.Webroot, token, []byte(token))
	if err != nil {
		return err
	}
	defer os.Remove(file)
	hc := &http.Client{Timeout: 3 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var last string
	for _, name := range p.Settings.Domains {
		deadline := time.Now().Add(5 * time.Second)
		for {
			req, _ := http.NewRequestWithContext(ctx, "GET", "http://127.0.0.1:"+strconv.Itoa(p.Settings.HTTPPort)+ChallengePath+token, nil)
			req.Host = name
			resp, err := hc.Do(req)
			if err == nil {
				body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
				resp.Body.Close()
				if resp.StatusCode == 200 && string(body) == token {
					break
				}
				last = "got " + termtext.Line(resp.Status) // the app's reason phrase
			} else {
				last = err.Error()
			}
			if time.Now().After(deadline) || ctx.Err() != nil {
				return &IssueError{Cause: CauseChallengeUnserved, Err: fmt.Errorf("%s does not serve challenge files for %s on port %d (%s), so the CA could not validate it", p.Detection.Name, name, p.Settings.HTTPPort, last)}
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return nil
}

// unchangedSince refuses to write over a file someone edited after it
// was read: the plan's splices are only valid for the bytes it saw.
func unchangedSince(p *Plan) error {
	for _, c := range p.Files {
		if c.Symlink != "" || c.Remove {
			continue
		}
		cur, err := os.ReadFile(c.Path)
		switch {
		case errors.Is(err, os.ErrNotExist) && !c.Existed:
			continue
		case err != nil:
			return err
		case !bytes.Equal(cur, c.Old):
			return fmt.Errorf("%s changed while httpsify was running; nothing was written, run it again", c.Path)
		}
	}
	return nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func joinArgs(a []string) string { return strings.Join(a, " ") }
