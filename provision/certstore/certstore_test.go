package certstore

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/httpsify/httpsify/provision/txn"
)

var serial int64

// newBundle makes a CA and a leaf for example.com signed by it, ECDSA P-256.
func newBundle(t *testing.T) (Bundle, *x509.Certificate) {
	t.Helper()
	caKey := newKey(t)
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	must(t, err)
	ca, err := x509.ParseCertificate(caDER)
	must(t, err)

	serial++
	key := newKey(t)
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1000 + serial),
		Subject:      pkix.Name{CommonName: "example.com"},
		DNSNames:     []string{"example.com"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	must(t, err)
	leaf, err := x509.ParseCertificate(leafDER)
	must(t, err)

	certPEM := pemOf("CERTIFICATE", leafDER)
	chainPEM := pemOf("CERTIFICATE", caDER)
	return Bundle{
		Cert:      certPEM,
		Chain:     chainPEM,
		Fullchain: append(append([]byte{}, certPEM...), chainPEM...),
		Key:       keyPEM(t, key),
	}, leaf
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	return k
}

func keyPEM(t *testing.T, k *ecdsa.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	must(t, err)
	return pemOf("PRIVATE KEY", der)
}

func pemOf(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func mode(t *testing.T, p string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(p)
	must(t, err)
	return fi.Mode().Perm()
}

func TestStageWritesCompleteVersion(t *testing.T) {
	b, _ := newBundle(t)
	archive := filepath.Join(t.TempDir(), "state", "archive", "example.com")
	v, err := Stage(archive, b)
	must(t, err)
	if !filepath.IsAbs(v) || filepath.Dir(v) != archive || !versionRE.MatchString(filepath.Base(v)) {
		t.Fatalf("version dir %q", v)
	}
	for p, want := range map[string]os.FileMode{
		archive: 0o700, v: 0o700,
		filepath.Join(v, "cert.pem"): 0o644, filepath.Join(v, "chain.pem"): 0o644,
		filepath.Join(v, "fullchain.pem"): 0o644, filepath.Join(v, "privkey.pem"): 0o600,
	} {
		if got := mode(t, p); got != want {
			t.Errorf("%s: mode %v, want %v", p, got, want)
		}
	}
	for name, want := range map[string][]byte{"cert.pem": b.Cert, "chain.pem": b.Chain, "fullchain.pem": b.Fullchain, "privkey.pem": b.Key} {
		got, err := os.ReadFile(filepath.Join(v, name))
		must(t, err)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs", name)
		}
	}
	ents, _ := os.ReadDir(archive)
	if len(ents) != 1 {
		t.Errorf("archive has %d entries, want just the version", len(ents))
	}
}

func TestStageRejectsBadBundles(t *testing.T) {
	good, _ := newBundle(t)
	other, _ := newBundle(t)
	swap := func(f func(*Bundle)) Bundle { b := good; f(&b); return b }
	cases := map[string]Bundle{
		"mismatched key":            swap(func(b *Bundle) { b.Key = other.Key }),
		"fullchain not leaf first":  swap(func(b *Bundle) { b.Fullchain = append(append([]byte{}, b.Chain...), b.Cert...) }),
		"fullchain of another leaf": swap(func(b *Bundle) { b.Fullchain = other.Fullchain }),
		"key inside cert":           swap(func(b *Bundle) { b.Cert = append(append([]byte{}, b.Cert...), b.Key...) }),
		"key inside chain":          swap(func(b *Bundle) { b.Chain = b.Key }),
		"empty cert":                swap(func(b *Bundle) { b.Cert = nil }),
		"garbage key":               swap(func(b *Bundle) { b.Key = pemOf("PRIVATE KEY", []byte("not a key")) }),
		"no key":                    swap(func(b *Bundle) { b.Key = nil }),
		"two certs as leaf":         swap(func(b *Bundle) { b.Cert = b.Fullchain }),
	}
	archive := t.TempDir()
	secrets := [][]byte{good.Key, other.Key}
	for name, b := range cases {
		_, err := Stage(archive, b)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		t.Logf("%s: %v", name, err)
		msg := err.Error()
		if strings.Contains(msg, "-----") {
			t.Errorf("%s: error contains PEM: %q", name, msg)
		}
		for _, k := range secrets {
			blk, _ := pem.Decode(k)
			b64 := base64.StdEncoding.EncodeToString(blk.Bytes)
			if strings.Contains(msg, b64[:16]) || strings.Contains(msg, b64[40:56]) {
				t.Errorf("%s: error contains key material", name)
			}
		}
	}
	if ents, _ := os.ReadDir(archive); len(ents) != 0 {
		t.Errorf("rejected bundles left %d entries", len(ents))
	}
}

func TestSelfSignedWithoutChain(t *testing.T) {
	key := newKey(t)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "self"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(t, err)
	c := pemOf("CERTIFICATE", der)
	sec1, err := x509.MarshalECPrivateKey(key)
	must(t, err)
	_, err = Stage(t.TempDir(), Bundle{Cert: c, Fullchain: c, Key: pemOf("EC PRIVATE KEY", sec1)})
	must(t, err)
}

func TestVersionsSortInStageOrder(t *testing.T) {
	b, _ := newBundle(t)
	archive := t.TempDir()
	var made []string
	for i := 0; i < 4; i++ {
		v, err := Stage(archive, b)
		must(t, err)
		made = append(made, filepath.Base(v))
	}
	got, err := versions(archive)
	must(t, err)
	if strings.Join(got, " ") != strings.Join(made, " ") {
		t.Fatalf("sorted %v, staged %v", got, made)
	}
	// A version from the "future" (clock stepped back) still sorts first.
	future := "29990101T000000Z-0007"
	must(t, os.Mkdir(filepath.Join(archive, future), 0o700))
	v, err := Stage(archive, b)
	must(t, err)
	if filepath.Base(v) != "29990101T000000Z-0008" {
		t.Errorf("after clock skew: %s", filepath.Base(v))
	}
}

func TestPruneKeepsNewestAndCurrent(t *testing.T) {
	b, _ := newBundle(t)
	root := t.TempDir()
	archive, live := filepath.Join(root, "archive"), filepath.Join(root, "live")
	var vs []string
	for i := 0; i < 5; i++ {
		v, err := Stage(archive, b)
		must(t, err)
		vs = append(vs, v)
	}
	must(t, os.Symlink(vs[1], live))
	must(t, os.Mkdir(filepath.Join(archive, stagingPrefix+"leftover"), 0o700))
	must(t, Prune(archive, live, 2))
	got, err := versions(archive)
	must(t, err)
	want := []string{filepath.Base(vs[1]), filepath.Base(vs[3]), filepath.Base(vs[4])}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("after prune: %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(archive, stagingPrefix+"leftover")); !os.IsNotExist(err) {
		t.Errorf("staging leftover not removed: %v", err)
	}
	if _, err := ReadLive(live); err != nil {
		t.Errorf("live broken by prune: %v", err)
	}
}

func TestLiveDirIsRealDirectory(t *testing.T) {
	b, _ := newBundle(t)
	root := t.TempDir()
	archive, live := filepath.Join(root, "archive"), filepath.Join(root, "live")
	must(t, os.Mkdir(live, 0o755))
	v, err := Stage(archive, b)
	must(t, err)
	for name, err := range map[string]error{
		"Current":    func() error { _, err := Current(live); return err }(),
		"ReadLive":   func() error { _, err := ReadLive(live); return err }(),
		"Prune":      Prune(archive, live, 0),
		"LiveChange": func() error { _, err := LiveChange(live, v); return err }(),
	} {
		if err == nil || !strings.Contains(err.Error(), "is a directory not managed by httpsify") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := os.Stat(v); err != nil {
		t.Errorf("Prune removed a version although live was unknown: %v", err)
	}
}

func TestNoLive(t *testing.T) {
	live := filepath.Join(t.TempDir(), "live")
	if cur, err := Current(live); cur != "" || err != nil {
		t.Errorf("Current: %q, %v", cur, err)
	}
	if _, err := ReadLive(live); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadLive: %v", err)
	}
}

// The live link is switched by a txn transaction and rolls back with it.
func TestReadLiveThroughTxn(t *testing.T) {
	root := t.TempDir()
	state := filepath.Join(root, "state")
	archive := filepath.Join(state, "archive", "example.com")
	live := filepath.Join(state, "live", "example.com")

	switchTo := func(v string) *txn.Tx {
		ch, err := LiveChange(live, v)
		must(t, err)
		tx, err := txn.Begin(state, []txn.Change{ch})
		must(t, err)
		must(t, tx.Commit())
		return tx
	}

	b1, leaf1 := newBundle(t)
	v1, err := Stage(archive, b1)
	must(t, err)
	must(t, switchTo(v1).Done())
	got, err := ReadLive(live)
	must(t, err)
	if !got.Equal(leaf1) {
		t.Fatalf("live serial %v, want %v", got.SerialNumber, leaf1.SerialNumber)
	}

	b2, leaf2 := newBundle(t)
	v2, err := Stage(archive, b2)
	must(t, err)
	tx := switchTo(v2)
	if got, _ := ReadLive(live); got == nil || !got.Equal(leaf2) {
		t.Fatal("live did not switch to v2")
	}
	if cur, _ := Current(live); cur != v2 {
		t.Errorf("Current %s, want %s", cur, v2)
	}
	must(t, tx.Rollback())
	if got, _ := ReadLive(live); got == nil || !got.Equal(leaf1) {
		t.Fatal("rollback did not restore v1")
	}
	if cur, _ := Current(live); cur != v1 {
		t.Errorf("Current %s, want %s", cur, v1)
	}
}
