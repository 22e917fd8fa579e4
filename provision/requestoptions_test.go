package provision

import (
	"reflect"
	"testing"
)

// A site's request turned back into answers validates to the same
// settings: the wizard's "change" starts from exactly what is deployed.
func TestRequestOptionsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	o := Options{
		Domains: []string{"www.example.test", "example.test"}, Upstream: "unix:/srv/app/app.sock",
		Email: "me@example.org", AgreeTOS: true, CA: "https://127.0.0.1:14000/dir", KeyType: "rsa2048",
		CertDir: dir + "/certs/www", TLSProfile: "modern", HSTS: true, NoHTTP2: true, ClientMaxBodySize: "20m",
		StateDir: dir + "/state", HTTPPort: 8080, HTTPSPort: 8443, NginxConf: "/etc/nginx/nginx.conf",
		ACMEProfile: "shortlived", DeployHook: "systemctl reload postfix",
	}
	s, err := o.Validate()
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Request.Options(s.Host).Validate()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, again) {
		t.Fatalf("settings differ after the round trip\n got %+v\nwant %+v", again, s)
	}
}
