package ui

import (
	"strings"
	"testing"

	"github.com/httpsify/httpsify/assets/dnsproviders"
)

func TestIsSecretVariable(t *testing.T) {
	for name, want := range map[string]bool{
		"ALICLOUD_SECRET_KEY":            true,
		"ALICLOUD_ACCESS_KEY":            true, // an ID, masked anyway: safe side
		"TENCENTCLOUD_SECRET_ID":         true,
		"CF_DNS_API_TOKEN":               true,
		"CLOUDFLARE_API_KEY":             true,
		"CLOUDNS_AUTH_PASSWORD":          true,
		"DO_AUTH_TOKEN":                  true,
		"VOLC_SECRETKEY":                 true, // KEY at a word's end
		"DNSUPDATE_TSIG_SECRET":          true,
		"DNSHOMEDE_CREDENTIALS":          true,
		"EPIK_SIGNATURE":                 true,
		"MYADDR_PRIVATE_KEYS_MAPPING":    true,
		"HURRICANE_TOKENS":               true,
		"CLOUDNS_AUTH_ID":                true, // AUTH: safe side
		"CF_API_EMAIL":                   false,
		"ALICLOUD_RAM_ROLE":              false,
		"ALICLOUD_REGION_ID":             false,
		"DNSUPDATE_NAMESERVER":           false,
		"DNSUPDATE_TSIG_GSS_KEYTAB_FILE": false,
		"HYPERONE_PASSPORT_LOCATION":     false,
		"KEYHELP_BASE_URL":               false,
		"AZURE_AUTH_METHOD":              false,
		"OCI_PRIVATE_KEY_PATH":           false,
		"AWS_SHARED_CREDENTIALS_FILE":    false,
		"OS_AUTH_URL":                    false,
		"CLOUDFLARE_TTL":                 false,
		"NICMANAGER_API_OTP":             true,
	} {
		if got := IsSecretVariable(name); got != want {
			t.Errorf("IsSecretVariable(%s) = %v, want %v", name, got, want)
		}
	}
}

// Every variable lego describes as a password, secret, token or key is
// masked, across the whole catalog: a new provider cannot slip through.
func TestIsSecretVariableCoversCatalog(t *testing.T) {
	for _, p := range dnsproviders.All() {
		for _, v := range append(p.Credentials, p.Options...) {
			d := " " + lower(v.Description) + " "
			looksSecret := contains(d, " password") || contains(d, " secret") || contains(d, "api token") || contains(d, "api key") || contains(d, "private key ")
			if looksSecret && !IsSecretVariable(v.Name) && !contains(lower(v.Name), "file") && !contains(lower(v.Name), "path") && !contains(d, " file") && !contains(d, "path") && !contains(d, "name of") {
				t.Errorf("%s %s (%q) is described as a secret but not masked", p.Code, v.Name, v.Description)
			}
		}
	}
}

func lower(s string) string       { return strings.ToLower(s) }
func contains(s, sub string) bool { return strings.Contains(s, sub) }
