package provision

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/go-acme/lego/v4/registration"
)

// account is the ACME account for one CA directory and email, reused
// across runs so a rerun never registers again.
type account struct {
	Email        string
	Registration *registration.Resource
	key          crypto.PrivateKey
	dir          string
}

func (a *account) GetEmail() string                        { return a.Email }
func (a *account) GetRegistration() *registration.Resource { return a.Registration }
func (a *account) GetPrivateKey() crypto.PrivateKey        { return a.key }

// accountDir is <state>/accounts/<ca-host>-<hash>/<email>.
func accountDir(stateDir, directory, email string) string {
	h := sha256.Sum256([]byte(directory))
	host := "ca"
	if u, err := url.Parse(directory); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	if email == "" {
		email = "no-email"
	}
	return filepath.Join(stateDir, "accounts", host+"-"+hex.EncodeToString(h[:4]), email)
}

// loadAccount reads the saved account, creating a new key when none exists
// yet. The key file is 0600 and its directory 0700.
func loadAccount(stateDir, directory, email string) (*account, error) {
	a := &account{Email: email, dir: accountDir(stateDir, directory, email)}
	if err := os.MkdirAll(a.dir, 0o700); err != nil {
		return nil, err
	}
	keyFile := filepath.Join(a.dir, "key.pem")
	if b, err := os.ReadFile(keyFile); err == nil {
		blk, _ := pem.Decode(b)
		if blk == nil {
			return nil, fmt.Errorf("the account key %s is not PEM", keyFile)
		}
		k, err := x509.ParseECPrivateKey(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("the account key %s is unreadable", keyFile)
		}
		a.key = k
	} else if errors.Is(err, os.ErrNotExist) {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			return nil, err
		}
		if err := writeFileAtomic(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600); err != nil {
			return nil, err
		}
		a.key = k
	} else {
		return nil, err
	}
	if b, err := os.ReadFile(filepath.Join(a.dir, "account.json")); err == nil {
		var r registration.Resource
		if json.Unmarshal(b, &r) == nil && r.URI != "" {
			a.Registration = &r
		}
	}
	return a, nil
}

func (a *account) save() error {
	b, err := json.MarshalIndent(a.Registration, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(a.dir, "account.json"), b, 0o600)
}

// writeFileAtomic writes via a temp file in the same directory, fsync and
// rename, so a crash leaves the old file or the new one.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// registered reports whether dir holds an account the CA accepted (its
// terms were agreed to when it was registered).
func registered(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "account.json"))
	if err != nil {
		return false
	}
	var r registration.Resource
	return json.Unmarshal(b, &r) == nil && r.URI != ""
}

// AccountRegistered reports whether this state directory already holds a
// registered account for the CA and email: its terms were accepted then,
// so the wizard does not ask again.
func AccountRegistered(stateDir, directory, email string) bool {
	if directory == "" {
		return false
	}
	return registered(accountDir(stateDir, directory, email))
}

// RememberedEmail is the email of the most recently registered account
// for the CA ("" for one registered without an email); ok is false when
// there is none.
func RememberedEmail(stateDir, directory string) (email string, ok bool) {
	if directory == "" {
		return "", false
	}
	parent := filepath.Dir(accountDir(stateDir, directory, ""))
	entries, err := os.ReadDir(parent)
	if err != nil {
		return "", false
	}
	var newest time.Time
	for _, e := range entries {
		dir := filepath.Join(parent, e.Name())
		st, err := os.Stat(filepath.Join(dir, "account.json"))
		if err != nil || !e.IsDir() || !registered(dir) || !st.ModTime().After(newest) {
			continue
		}
		newest, email, ok = st.ModTime(), e.Name(), true
	}
	if email == "no-email" {
		email = ""
	}
	return email, ok
}
