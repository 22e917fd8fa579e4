package ui

import "strings"

// secretWords mark a variable as holding a secret when one of its
// underscore-separated words ends with them: KEY covers APIKEY and
// SECRETKEY, TOKEN covers AUTHTOKEN. Whole words only, so KEYTAB and
// PASSPORT (file locations) and KEYHELP (a provider) are not secrets.
// OTP is a TOTP seed (NICMANAGER_API_OTP), a secret for good.
var secretWords = []string{"SECRET", "KEY", "KEYS", "TOKEN", "TOKENS", "PASSWORD", "PASS", "PASSWD", "PWD", "PASSPHRASE", "CREDENTIALS", "SIGNATURE", "OTP"}

// notSecretLast are last words that make a variable a setting about the
// secret, not the secret: AZURE_AUTH_METHOD, OCI_PRIVATE_KEY_PATH,
// AWS_SHARED_CREDENTIALS_FILE, OS_AUTH_URL.
var notSecretLast = map[string]bool{"FILE": true, "PATH": true, "URL": true, "ENDPOINT": true, "METHOD": true, "TYPE": true, "REGION": true, "TIMEOUT": true, "LOCATION": true, "ZONE": true}

// IsSecretVariable reports whether a provider variable's value must be
// masked. It errs on the side of masking: an access key ID is masked too
// (ALICLOUD_ACCESS_KEY, TENCENTCLOUD_SECRET_ID), which costs a reveal key
// press, while showing a secret cannot be undone.
func IsSecretVariable(name string) bool {
	words := strings.Split(strings.ToUpper(name), "_")
	if notSecretLast[words[len(words)-1]] {
		return false
	}
	for _, w := range words {
		if w == "AUTH" || w == "OAUTH" {
			return true
		}
		for _, s := range secretWords {
			if strings.HasSuffix(w, s) {
				return true
			}
		}
	}
	return false
}
