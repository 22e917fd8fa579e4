package acme

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/go-acme/lego/v4/registration"
	"github.com/httpsify/httpsify/provision/atomicfile"
	"github.com/httpsify/httpsify/provision/statedir"
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

// accountDir is where the account for a CA and email is kept.
func accountDir(stateDir, directory, email string) string {
	return statedir.Layout(stateDir).Account(directory, email)
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
		if err := atomicfile.Write(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600); err != nil {
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
	return atomicfile.Write(filepath.Join(a.dir, "account.json"), b, 0o600)
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
