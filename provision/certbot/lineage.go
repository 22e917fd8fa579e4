package certbot

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/httpsify/httpsify/assets/i18n"
)

// Lineage is one certificate certbot manages.
type Lineage struct {
	Name           string
	RenewalFile    string // absolute path of renewal/NAME.conf, or of its disabled copy
	RenewalEnabled bool   // false when httpsify renamed the file aside
	Conf           *RenewalConf
	// Names and NotAfter come from the current certificate (the file the
	// conf's cert points to, through live/NAME/cert.pem).
	Names    []string
	NotAfter time.Time
	// Current is where each of the conf's four files really is, links
	// followed inside the certbot directory, relative to it (e.g.
	// archive/example.com/fullchain3.pem): the version live/NAME serves.
	Current Files
	// Err says why the lineage could not be read completely; the fields
	// above are filled as far as they could be.
	Err error
}

// Files are a lineage's four files.
type Files struct {
	Cert, PrivKey, Chain, Fullchain string
}

// Lineages lists the lineages that have a renewal configuration, enabled
// or disabled by httpsify, sorted by name. A lineage that cannot be read is
// listed with Err set; only an unreadable renewal directory fails the call.
func (d *Dir) Lineages() ([]Lineage, error) {
	f, err := d.root.Open("renewal")
	if err != nil {
		return nil, err
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return nil, err
	}
	var out []Lineage
	for _, e := range entries {
		name, enabled, ok := confName(e.Name())
		if !ok || !e.Type().IsRegular() {
			continue // certbot's glob would follow a symlinked conf; httpsify does not act on one
		}
		out = append(out, d.readLineage(name, e.Name(), enabled))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Lineage returns the lineage called name, or ErrNoLineage.
func (d *Dir) Lineage(name string) (Lineage, error) {
	if err := checkName(name); err != nil {
		return Lineage{}, err
	}
	all, err := d.Lineages()
	if err != nil {
		return Lineage{}, err
	}
	for _, l := range all {
		if l.Name == name {
			return l, nil
		}
	}
	return Lineage{}, fmt.Errorf("%q: %w", name, ErrNoLineage)
}

// confName splits a renewal directory entry into a lineage name.
func confName(file string) (name string, enabled, ok bool) {
	if n, found := strings.CutSuffix(file, ".conf"+DisabledSuffix); found {
		return n, false, checkName(n) == nil
	}
	if n, found := strings.CutSuffix(file, ".conf"); found {
		return n, true, checkName(n) == nil
	}
	return "", false, false
}

// checkName accepts a single plain file name, as certbot makes them.
func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.HasPrefix(name, ".") ||
		strings.ContainsAny(name, "/\\\x00") || strings.IndexFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return fmt.Errorf("%q: %w", name, ErrBadName)
	}
	return nil
}

func (d *Dir) readLineage(name, file string, enabled bool) Lineage {
	rel := filepath.Join("renewal", file)
	l := Lineage{Name: name, RenewalFile: filepath.Join(d.path, rel), RenewalEnabled: enabled}
	data, err := d.root.ReadFile(rel)
	if err != nil {
		l.Err = err
		return l
	}
	l.Conf, l.Err = parseConf(l.RenewalFile, data)
	if l.Err != nil {
		return l
	}
	live := func(conf, file string) string {
		if conf != "" {
			return conf
		}
		return filepath.Join(d.path, "live", name, file)
	}
	for _, f := range []struct {
		conf string
		out  *string
	}{
		{live(l.Conf.PrivKey, "privkey.pem"), &l.Current.PrivKey},
		{live(l.Conf.Chain, "chain.pem"), &l.Current.Chain},
		{live(l.Conf.Fullchain, "fullchain.pem"), &l.Current.Fullchain},
	} {
		if r, ok := d.rel(f.conf); ok {
			*f.out, _ = d.resolve(r) // best effort: the certificate below decides Err
		}
	}
	l.Current.Cert, l.Names, l.NotAfter, l.Err = d.readCert(live(l.Conf.Cert, "cert.pem"))
	return l
}

// readCert reads the certificate at an absolute path inside the certbot
// directory, following links only within it.
func (d *Dir) readCert(abs string) (string, []string, time.Time, error) {
	r, ok := d.rel(abs)
	if !ok {
		return "", nil, time.Time{}, fmt.Errorf("cert %s: %w", abs, ErrOutsideDir)
	}
	real, err := d.resolve(r)
	if err != nil {
		return "", nil, time.Time{}, err
	}
	data, err := d.root.ReadFile(real)
	if err != nil {
		return real, nil, time.Time{}, err
	}
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "CERTIFICATE" {
		return real, nil, time.Time{}, i18n.Errorf("%s: no PEM certificate", real)
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return real, nil, time.Time{}, fmt.Errorf("%s: %w", real, err)
	}
	return real, c.DNSNames, c.NotAfter, nil
}

// CheckName refuses a lineage name certbot would not make: anything but a
// single plain file name (a stored request names one; it becomes a path).
func CheckName(name string) error { return checkName(name) }
