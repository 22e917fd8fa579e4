package dnschallenge

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// UnsafeFileError: a credentials file or directory others could read or
// have planted. Fix says what to run.
type UnsafeFileError struct {
	Path, Problem, Fix string
}

func (e *UnsafeFileError) Error() string {
	return fmt.Sprintf("%s: %s; %s", e.Path, e.Problem, e.Fix)
}

// maxCredentialsFile bounds what is read: credentials are a few lines.
const maxCredentialsFile = 64 << 10

// ReadCredentialsFile reads KEY=VALUE lines (see parseCredentials) for the
// provider code. The file must be a regular file, not a symlink, owned by
// the user httpsify runs as (root, in production) and readable by nobody
// else: a file others can read has already leaked, one others own could
// have been planted.
func ReadCredentialsFile(code, path string) (Credentials, error) {
	p, err := lookupProvider(code)
	if err != nil {
		return Credentials{}, err
	}
	data, err := readPrivateFile(path)
	if err != nil {
		return Credentials{}, err
	}
	values, err := parseCredentials(data, path)
	if err != nil {
		return Credentials{}, err
	}
	c, err := NewCredentials(p.Code, values)
	var unknown *UnknownVariableError
	if errors.As(err, &unknown) {
		unknown.Where = path
	}
	return c, err
}

// readPrivateFile opens path without following a final symlink and checks
// what it opened (fstat, not a separate stat that could race).
func readPrivateFile(path string) ([]byte, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, unix.ELOOP) {
			return nil, &UnsafeFileError{Path: path, Problem: "is a symbolic link", Fix: "give the real file's path"}
		}
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	f := os.NewFile(uintptr(fd), path)
	defer f.Close()
	if err := checkPrivate(f, path, false); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, maxCredentialsFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxCredentialsFile {
		return nil, &UnsafeFileError{Path: path, Problem: "is larger than 64 KiB", Fix: "a credentials file holds a few KEY=VALUE lines"}
	}
	return data, nil
}

// checkPrivate: owned by the effective user, no group/other access (for a
// directory: no group/other write).
func checkPrivate(f *os.File, path string, dir bool) error {
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		return &os.PathError{Op: "fstat", Path: path, Err: err}
	}
	owner := os.Geteuid()
	who := "root"
	if owner != 0 {
		who = fmt.Sprint(owner)
	}
	isDir := st.Mode&unix.S_IFMT == unix.S_IFDIR
	switch {
	case dir && !isDir:
		return &UnsafeFileError{Path: path, Problem: "is not a directory", Fix: "give a directory"}
	case !dir && st.Mode&unix.S_IFMT != unix.S_IFREG:
		return &UnsafeFileError{Path: path, Problem: "is not a regular file", Fix: "give a regular file"}
	case int(st.Uid) != owner:
		return &UnsafeFileError{Path: path, Problem: fmt.Sprintf("is owned by uid %d, not %s", st.Uid, who),
			Fix: fmt.Sprintf("run: chown %s %s", who, path)}
	case dir && st.Mode&0o022 != 0:
		return &UnsafeFileError{Path: path, Problem: "is writable by group or others", Fix: "run: chmod go-w " + path}
	case !dir && st.Mode&0o077 != 0:
		return &UnsafeFileError{Path: path, Problem: fmt.Sprintf("is readable by group or others (mode %04o)", st.Mode&0o777),
			Fix: "run: chmod 600 " + path}
	}
	return nil
}

// credentialsFileName is where SaveCredentials puts a provider's values.
func credentialsFileName(code string) string { return "dns-" + code + ".credentials" }

// SaveCredentials writes c to dir/dns-CODE.credentials, mode 0600,
// atomically: a temporary file (O_EXCL|O_NOFOLLOW) in dir, synced, then
// renamed over the old one. dir must exist, belong to the effective user
// and not be writable by others, and not be a symlink. It returns the path.
func SaveCredentials(dir string, c Credentials) (string, error) {
	if c.provider == "" {
		return "", errors.New("dnschallenge: no provider in credentials")
	}
	d, err := openPrivateDir(dir)
	if err != nil {
		return "", err
	}
	defer d.Close()
	name := credentialsFileName(c.provider)
	tmp := fmt.Sprintf(".%s.%d.tmp", name, os.Getpid())
	dfd := int(d.Fd())
	fd, err := unix.Openat(dfd, tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return "", &os.PathError{Op: "create", Path: filepath.Join(dir, tmp), Err: err}
	}
	f := os.NewFile(uintptr(fd), filepath.Join(dir, tmp))
	_, werr := f.Write(formatCredentials(c))
	if werr == nil {
		werr = f.Chmod(0o600) // whatever the umask did
	}
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = unix.Renameat(dfd, tmp, dfd, name)
	}
	if werr != nil {
		_ = unix.Unlinkat(dfd, tmp, 0)
		return "", werr
	}
	_ = d.Sync() // the rename survives a crash
	return filepath.Join(dir, name), nil
}

// LoadCredentials reads back what SaveCredentials wrote for code.
func LoadCredentials(dir, code string) (Credentials, error) {
	p, err := lookupProvider(code)
	if err != nil {
		return Credentials{}, err
	}
	d, err := openPrivateDir(dir)
	if err != nil {
		return Credentials{}, err
	}
	d.Close()
	return ReadCredentialsFile(p.Code, filepath.Join(dir, credentialsFileName(p.Code)))
}

func openPrivateDir(dir string) (*os.File, error) {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR) {
			return nil, &UnsafeFileError{Path: dir, Problem: "is a symbolic link or not a directory", Fix: "give the real directory"}
		}
		return nil, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	d := os.NewFile(uintptr(fd), dir)
	if err := checkPrivate(d, dir, true); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}
