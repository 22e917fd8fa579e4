package provision

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// loopbackSite serves h over http and https on two loopback ports and
// returns settings that point at them.
func loopbackSite(t *testing.T, before, after http.Handler) *Settings {
	t.Helper()
	plain := httptest.NewServer(before)
	t.Cleanup(plain.Close)
	secure := httptest.NewTLSServer(after)
	t.Cleanup(secure.Close)
	return &Settings{Host: Host{HTTPPort: portOf(t, plain.Listener.Addr()), HTTPSPort: portOf(t, secure.Listener.Addr())}, Request: Request{Domains: []string{"www.example.test"}}}
}

func portOf(t *testing.T, a net.Addr) int {
	t.Helper()
	return a.(*net.TCPAddr).Port
}

func basicAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, _, ok := r.BasicAuth(); !ok {
			w.Header().Set("WWW-Authenticate", `Basic realm="dashboard"`)
			http.Error(w, "401", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

var okApp = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("hello")) })

var badGateway = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "502", http.StatusBadGateway)
})

func verdict(t *testing.T, s *Settings, probes ...Probe) []Check {
	t.Helper()
	if len(probes) == 0 {
		probes = []Probe{{Path: "/"}}
	}
	before := RecordBehaviour(context.Background(), s, probes)
	return compareBehaviour(context.Background(), s, before)
}

// The dashboard that lost its password: both answers "reach the app",
// only the comparison sees the difference.
func TestBehaviourLostPasswordFails(t *testing.T) {
	s := loopbackSite(t, basicAuth(okApp), okApp)
	c := verdict(t, s)
	if len(c) != 1 || c[0].OK || c[0].Warn {
		t.Fatalf("a site that stopped asking for a password passed: %+v", c)
	}
	if !strings.Contains(c[0].Info, "401") || !strings.Contains(c[0].Info, "200") {
		t.Errorf("the failure should name both answers: %q", c[0].Info)
	}
}

func TestBehaviourKeptPasswordPasses(t *testing.T) {
	s := loopbackSite(t, basicAuth(okApp), basicAuth(okApp))
	if c := verdict(t, s); len(c) != 1 || !c[0].OK {
		t.Fatalf("the same 401 over https should pass: %+v", c)
	}
}

// The mistyped socket: the app answered before, https now gets 502.
func TestBehaviourAppLostIsAFailureNotAWarning(t *testing.T) {
	s := loopbackSite(t, okApp, badGateway)
	c := verdict(t, s)
	if len(c) != 1 || c[0].OK || c[0].Warn {
		t.Fatalf("200 before and 502 after must fail verification: %+v", c)
	}
}

func TestBehaviourAppDownBeforeAndAfterWarns(t *testing.T) {
	s := loopbackSite(t, badGateway, badGateway)
	c := verdict(t, s)
	if len(c) != 1 || c[0].OK || !c[0].Warn {
		t.Fatalf("an app that was already down is a warning: %+v", c)
	}
}

func TestBehaviourStaticFileContent(t *testing.T) {
	file := func(body string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(body)) })
	}
	s := loopbackSite(t, file("v1"), file("v2"))
	if c := verdict(t, s, Probe{Path: "/robots.txt", Body: true}); len(c) != 1 || c[0].OK {
		t.Fatalf("a static file whose content changed passed: %+v", c)
	}
	s = loopbackSite(t, file("same"), file("same"))
	if c := verdict(t, s, Probe{Path: "/robots.txt", Body: true}); len(c) != 1 || !c[0].OK {
		t.Fatalf("the same file over https should pass: %+v", c)
	}
}

// An app page that changes on every request is compared by status only.
func TestBehaviourUnstableBodyNotCompared(t *testing.T) {
	n := 0
	counter := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		w.Write([]byte(strings.Repeat("x", n)))
	})
	s := loopbackSite(t, counter, counter)
	if c := verdict(t, s, Probe{Path: "/", Body: true}); len(c) != 1 || !c[0].OK {
		t.Fatalf("a page that differs on every request must not fail: %+v", c)
	}
}

// The app's own redirects compare by path: http://site/login before is
// https://site/login after.
func TestBehaviourRedirectsCompareBySiteRelativePath(t *testing.T) {
	to := func(scheme string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, scheme+"://www.example.test/login", http.StatusFound)
		})
	}
	s := loopbackSite(t, to("http"), to("https"))
	if c := verdict(t, s); len(c) != 1 || !c[0].OK {
		t.Fatalf("the same redirect target over https should pass: %+v", c)
	}
	elsewhere := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://evil.test/login", http.StatusFound)
	})
	s = loopbackSite(t, to("http"), elsewhere)
	if c := verdict(t, s); len(c) != 1 || c[0].OK {
		t.Fatalf("a redirect to another host passed: %+v", c)
	}
}

// The classic tutorial's layout: port 80 only redirects, the site lives
// on https already. "Before" is what https answered.
func TestBehaviourFollowsTheSitesOwnRedirect(t *testing.T) {
	secure := httptest.NewTLSServer(basicAuth(okApp))
	t.Cleanup(secure.Close)
	port := portOf(t, secure.Listener.Addr())
	redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://www.example.test:"+strconv.Itoa(port)+r.URL.Path, http.StatusMovedPermanently)
	})
	plain := httptest.NewServer(redirect)
	t.Cleanup(plain.Close)
	s := &Settings{Host: Host{HTTPPort: portOf(t, plain.Listener.Addr()), HTTPSPort: port}, Request: Request{Domains: []string{"www.example.test"}}}
	before := RecordBehaviour(context.Background(), s, []Probe{{Path: "/"}})
	if len(before) != 1 || before[0].Status != 401 {
		t.Fatalf("before should be the https answer (401), got %+v", before)
	}
}

// The 2018 layout: `ssl on` makes the HTTP port speak TLS, so http got
// 400 and the site a visitor saw was its https side.
func TestBehaviourSSLOnPortIsReadOverHTTPS(t *testing.T) {
	tlsOnHTTP := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "400", http.StatusBadRequest)
	}))
	t.Cleanup(tlsOnHTTP.Close)
	secure := httptest.NewTLSServer(basicAuth(okApp))
	t.Cleanup(secure.Close)
	s := &Settings{Host: Host{HTTPPort: portOf(t, tlsOnHTTP.Listener.Addr()), HTTPSPort: portOf(t, secure.Listener.Addr())}, Request: Request{Domains: []string{"www.example.test"}}}
	before := RecordBehaviour(context.Background(), s, []Probe{{Path: "/"}})
	if len(before) != 1 || before[0].Status != 401 {
		t.Fatalf("before should be what https answered (401), got %+v", before)
	}
}
