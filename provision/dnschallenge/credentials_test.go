package dnschallenge

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/httpsify/httpsify/provision/dnschallenge/dnshelper"
)

func writeFile(t *testing.T, body string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "creds")
	if err := os.WriteFile(p, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadCredentialsFileParsesStrictly(t *testing.T) {
	body := `# Alibaba Cloud RAM user for DNS only

export ALICLOUD_ACCESS_KEY=LTAI5tAbCdEfGhIjKlMnOpQr
ALICLOUD_SECRET_KEY = "se\"cr\\et $HOME # not a comment"   # a comment
ALICLOUD_REGION_ID='cn-$(hangzhou)'
`
	c, err := ReadCredentialsFile("alidns", writeFile(t, body, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"ALICLOUD_ACCESS_KEY": "LTAI5tAbCdEfGhIjKlMnOpQr",
		"ALICLOUD_SECRET_KEY": `se"cr\et $HOME # not a comment`,
		"ALICLOUD_REGION_ID":  "cn-$(hangzhou)",
	}
	for k, v := range want {
		if got, _ := c.value(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if c.Len() != 3 || c.Provider() != "alidns" {
		t.Errorf("got %d values for %q", c.Len(), c.Provider())
	}
}

func TestReadCredentialsFileRefusals(t *testing.T) {
	const secret = "TOPSECRETVALUE123"
	cases := []struct {
		name, body string
		check      func(error) bool
	}{
		{"unknown variable (typo)", "ALICLOUD_ACCES_KEY=" + secret + "\n", func(err error) bool {
			var u *UnknownVariableError
			return errors.As(err, &u) && u.Name == "ALICLOUD_ACCES_KEY" && strings.Contains(u.Where, "creds")
		}},
		{"no equals sign", secret + "\n", isParseError},
		{"set twice", "ALICLOUD_ACCESS_KEY=a\nALICLOUD_ACCESS_KEY=" + secret + "\n", isParseError},
		{"unterminated quote", `ALICLOUD_ACCESS_KEY="` + secret + "\n", isParseError},
		{"text after quote", `ALICLOUD_ACCESS_KEY="a"` + secret + "\n", isParseError},
		{"unquoted comment", "ALICLOUD_ACCESS_KEY=" + secret + " # mine\n", isParseError},
		{"empty value", "ALICLOUD_ACCESS_KEY=\n", isParseError},
		{"bad name", "ALICLOUD-KEY=" + secret + "\n", isParseError},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadCredentialsFile("alidns", writeFile(t, tc.body, 0o600))
			if !tc.check(err) {
				t.Errorf("error %v (%T), wrong type", err, err)
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("error shows the value: %v", err)
			}
		})
	}
}

func isParseError(err error) bool {
	var p *ParseError
	return errors.As(err, &p)
}

func TestReadCredentialsFileRefusesUnsafeFiles(t *testing.T) {
	body := "ALICLOUD_ACCESS_KEY=x\n"
	for _, mode := range []os.FileMode{0o640, 0o604, 0o644} {
		_, err := ReadCredentialsFile("alidns", writeFile(t, body, mode))
		var u *UnsafeFileError
		if !errors.As(err, &u) || !strings.Contains(u.Fix, "chmod 600") {
			t.Errorf("mode %o: %v, want an UnsafeFileError saying chmod 600", mode, err)
		}
	}
	real := writeFile(t, body, 0o600)
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	var u *UnsafeFileError
	if _, err := ReadCredentialsFile("alidns", link); !errors.As(err, &u) {
		t.Errorf("symlink: %v, want UnsafeFileError", err)
	}
	if os.Geteuid() == 0 {
		p := writeFile(t, body, 0o600)
		if err := os.Chown(p, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadCredentialsFile("alidns", p); !errors.As(err, &u) || !strings.Contains(u.Fix, "chown root") {
			t.Errorf("file owned by nobody: %v, want UnsafeFileError saying chown root", err)
		}
	}
}

func TestUnknownProvider(t *testing.T) {
	_, err := NewCredentials("aliyun-dns", nil)
	var u *UnknownProviderError
	if !errors.As(err, &u) || u.Code != "aliyun-dns" {
		t.Errorf("%v, want UnknownProviderError", err)
	}
}

func TestSaveAndLoadCredentials(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	c, err := NewCredentials("cloudflare", map[string]string{"CF_DNS_API_TOKEN": `tok"en\with 'quotes' # and $x`})
	if err != nil {
		t.Fatal(err)
	}
	p, err := SaveCredentials(dir, c)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %o", st.Mode().Perm())
	}
	back, err := LoadCredentials(dir, "cloudflare")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := back.value("CF_DNS_API_TOKEN"); got != `tok"en\with 'quotes' # and $x` {
		t.Errorf("read back %q", got)
	}
	// A second save replaces the file; no temporary file stays behind.
	if _, err := SaveCredentials(dir, c); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("dir holds %d entries, want 1", len(entries))
	}
	// A planted symlink as the directory is refused.
	link := filepath.Join(t.TempDir(), "state-link")
	os.Symlink(dir, link)
	var u *UnsafeFileError
	if _, err := SaveCredentials(link, c); !errors.As(err, &u) {
		t.Errorf("save into symlinked dir: %v", err)
	}
	// A group-writable directory is refused.
	open := filepath.Join(t.TempDir(), "open")
	os.Mkdir(open, 0o777)
	os.Chmod(open, 0o777)
	if _, err := SaveCredentials(open, c); !errors.As(err, &u) {
		t.Errorf("save into 0777 dir: %v", err)
	}
}

func TestRedactedNeverShowsValues(t *testing.T) {
	c, err := NewCredentials("alidns", map[string]string{
		"ALICLOUD_ACCESS_KEY": "LTAI5tAbCdEfGhIjKlMnOpQr",
		"ALICLOUD_SECRET_KEY": "short",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ALICLOUD_ACCESS_KEY=LTAI…(24 chars)", "ALICLOUD_SECRET_KEY=…(5 chars)"}
	if got := c.Redacted(); !slices.Equal(got, want) {
		t.Errorf("Redacted = %q, want %q", got, want)
	}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c)} {
		if strings.Contains(s, "5tAbCdEf") || strings.Contains(s, "short") {
			t.Errorf("formatted credentials show a value: %s", s)
		}
	}
}

// Ambient values of the provider's variables in httpsify's environment do
// not mix into the credentials: the helper sees only the credentials'.
func TestOpenProviderIgnoresAmbientVariables(t *testing.T) {
	t.Setenv("DNSUPDATE_TSIG_KEY", "ambient-key")
	t.Setenv("DNSUPDATE_NAMESERVER", "127.0.0.1:1")
	h := testHelper(t)
	c, err := NewCredentials("rfc2136", map[string]string{
		"DNSUPDATE_NAMESERVER":  "127.0.0.1:1053",
		"DNSUPDATE_TSIG_KEY":    "mine",
		"DNSUPDATE_TSIG_SECRET": "c2VjcmV0c2VjcmV0c2VjcmV0",
	})
	if err != nil {
		t.Fatal(err)
	}
	prov, err := OpenProvider(context.Background(), h, c)
	if err != nil {
		t.Fatal(err)
	}
	prov.Close()
	// Missing required variable: lego's error, typed as the
	// configuration's, naming the variable, though httpsify's
	// environment has it.
	bad, _ := NewCredentials("rfc2136", map[string]string{"DNSUPDATE_TSIG_KEY": "k"})
	_, err = OpenProvider(context.Background(), testHelper(t), bad)
	var he *HelperError
	if !errors.As(err, &he) || he.Kind != dnshelper.KindConfig || !strings.Contains(he.Message, "DNSUPDATE_NAMESERVER") {
		t.Errorf("without a nameserver: %#v", err)
	}
}

func TestCredentialsFromEnvTakesOnlyTheProvidersVariables(t *testing.T) {
	env := []string{"HOME=/root", "CF_DNS_API_TOKEN=abc", "CF_API_EMAIL=", "ALICLOUD_ACCESS_KEY=x"}
	c, err := CredentialsFromEnv("cloudflare", env)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Names(); !slices.Equal(got, []string{"CF_DNS_API_TOKEN"}) {
		t.Errorf("names %q", got)
	}
}

func TestNewProviderRefusesLegosManual(t *testing.T) {
	c, err := NewCredentials(ManualCode, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenProvider(context.Background(), Helper{Path: "/nonexistent"}, c); !errors.Is(err, ErrManualNeedsUI) {
		t.Errorf("%v, want ErrManualNeedsUI", err)
	}
}
