package provision

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/httpsify/httpsify/provision/atomicfile"
	"github.com/httpsify/httpsify/provision/trustdir"
	"golang.org/x/sys/unix"
)

// DefaultChallengeDir is where nginx finds HTTP-01 answers: root's alone
// to write (whoever can write there passes the challenge for the site's
// names), readable by nginx's workers whatever their user.
const DefaultChallengeDir = "/var/lib/httpsify/acme-challenge"

// prepareWebroot makes the challenge directory ready for nginx's workers:
// trusted (see trustdir), 0755 whatever the umask. An existing one that a
// umask left unreadable is opened without following links and fixed: it
// is root's, so nobody else can have put anything there.
func prepareWebroot(dir string) error {
	if _, err := trustdir.EnsureDir(dir, 0o755); err != nil {
		return fieldErr(FlagChallengeDir, err)
	}
	if err := chmodDirNoFollow(dir, 0o755); err != nil {
		return fieldErr(FlagChallengeDir, err)
	}
	return nil
}

// chmodDirNoFollow sets a directory's mode through a descriptor opened
// with O_NOFOLLOW, so a symlink put in its place is never followed.
func chmodDirNoFollow(dir string, mode fs.FileMode) error {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return &fs.PathError{Op: "stat", Path: dir, Err: err}
	}
	if fs.FileMode(st.Mode)&fs.ModePerm == mode {
		return nil
	}
	if err := unix.Fchmod(fd, uint32(mode)); err != nil {
		return &fs.PathError{Op: "chmod", Path: dir, Err: err}
	}
	return nil
}

// challengeToken is what an HTTP-01 token (and our self-check name) may
// be: base64url, so it can never name a path outside the directory.
var challengeToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,200}$`)

// writeChallengeFile puts content at <webroot>/.well-known/acme-challenge/
// <token>, directories 0755 and the file 0644 set explicitly, so a umask
// of 077 cannot leave nginx answering 403.
func writeChallengeFile(webroot, token string, content []byte) (string, error) {
	if !challengeToken.MatchString(token) {
		return "", fmt.Errorf("refusing challenge token %q: not base64url", token)
	}
	dir := webroot
	for _, sub := range []string{".well-known", "acme-challenge"} {
		dir = filepath.Join(dir, sub)
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return "", err
		}
		if err := chmodDirNoFollow(dir, 0o755); err != nil {
			return "", err
		}
	}
	file := filepath.Join(dir, token)
	if err := atomicfile.Write(file, content, 0o644); err != nil {
		return "", err
	}
	return file, nil
}

// webrootProvider is lego's HTTP-01 provider for nginx's webroot, with
// explicit modes (lego's own leaves them to the umask).
type webrootProvider struct{ dir string }

func (w webrootProvider) Present(domain, token, keyAuth string) error {
	if _, err := writeChallengeFile(w.dir, token, []byte(keyAuth)); err != nil {
		return fmt.Errorf("writing the challenge file for %s: %w", domain, err)
	}
	return nil
}

func (w webrootProvider) CleanUp(domain, token, keyAuth string) error {
	if !challengeToken.MatchString(token) {
		return nil
	}
	err := os.Remove(filepath.Join(w.dir, ".well-known", "acme-challenge", token))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
