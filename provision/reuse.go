package provision

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/httpsify/httpsify/provision/atomicfile"
	"github.com/httpsify/httpsify/provision/certstore"
)

// A certificate that was issued and staged but never installed (the user
// cancelled at the preview, or a check failed and the change was rolled
// back) is still good: the next run for the same names, key type and CA
// installs it instead of ordering another. Every cancel ordering a new
// one would soon hit the CA's duplicate-certificate limit (Let's Encrypt:
// 5 per week for the same names).

// stagedRecord says which CA a staged version came from; the version
// directory itself only holds the PEM files.
type stagedRecord struct {
	Version string `json:"version"`
	CA      string `json:"ca"`
}

func stagedRecordPath(s *Settings) string {
	return s.Layout().Staged(s.Primary())
}

// rememberStaged notes the version just staged, for a later run.
func rememberStaged(s *Settings, versionDir string) error {
	b, err := json.Marshal(stagedRecord{Version: versionDir, CA: s.CADirectory})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(stagedRecordPath(s)), 0o700); err != nil {
		return err
	}
	return atomicfile.Write(stagedRecordPath(s), b, 0o600)
}

// reusableStaged returns the staged, never-installed certificate a run can
// install instead of ordering a new one, or nil.
func reusableStaged(p *Plan, now time.Time) *Issued {
	s := p.Settings
	if s.ForceRenew {
		return nil
	}
	b, err := os.ReadFile(stagedRecordPath(s))
	if err != nil {
		return nil
	}
	var rec stagedRecord
	if json.Unmarshal(b, &rec) != nil || rec.CA != s.CADirectory {
		return nil
	}
	// Only a version httpsify staged in this site's archive, never a
	// path the record could be made to point elsewhere.
	archive, err := filepath.Abs(p.ArchiveDir)
	if err != nil || filepath.Dir(rec.Version) != archive {
		return nil
	}
	if cur, err := certstore.Current(s.CertDir); err != nil || cur == rec.Version {
		return nil // installed after all: not "unused"
	}
	leaf, n, err := certstore.ReadVersion(rec.Version)
	if err != nil || !sameNames(leaf.DNSNames, s.Domains) || !keyTypeIs(leaf, s.KeyType) ||
		now.Before(leaf.NotBefore) || renewDue(leaf, now) {
		return nil
	}
	if _, err := os.Stat(filepath.Join(rec.Version, "privkey.pem")); err != nil {
		return nil
	}
	return &Issued{New: true, Reused: true, VersionDir: rec.Version, Leaf: leaf, ChainLen: n}
}

func sameNames(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

// keyTypeIs matches the leaf's public key to the --key-type asked for.
func keyTypeIs(leaf *x509.Certificate, keyType string) bool {
	switch k := leaf.PublicKey.(type) {
	case *ecdsa.PublicKey:
		return keyType == "ec256" && k.Curve == elliptic.P256() || keyType == "ec384" && k.Curve == elliptic.P384()
	case *rsa.PublicKey:
		return keyType == "rsa2048" && k.N.BitLen() == 2048 || keyType == "rsa4096" && k.N.BitLen() == 4096
	}
	return false
}
