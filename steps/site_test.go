package steps

import (
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/nginx"
	"github.com/httpsify/httpsify/provision/nginxconf"
)

func TestSiteView(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			st, _ := newState(t)
			st.Detection, st.Pre = fixDetection(t), st.Preflight(st.Base)
			tm := start(t, st, StepSite, sz.w, sz.h)
			waitFor(t, tm, "203.0.113.10")
			_, v := finalView(t, tm, sz.w, sz.h)
			golden(t, v)
		})
	}
}

// Names are checked with the engine's validator as they are typed.
func TestSiteValidatesAsYouType(t *testing.T) {
	st, _ := newState(t)
	st.Detection = fixDetection(t)
	tm := start(t, st, StepSite, 80, 24)
	waitFor(t, tm, "Which site")
	tm.Send(press("down")) // "Another site"
	tm.Send(press("enter"))
	tm.Type("shop_example.test")
	waitFor(t, tm, "✗")
	_, v := finalView(t, tm, 80, 24)
	golden(t, v)
}

// A new site needs an app: the engine's refusal shows under the field.
func TestSiteNewSiteNeedsApp(t *testing.T) {
	st, _ := newState(t)
	st.Detection = fixDetection(t)
	tm := start(t, st, StepSite, 80, 24)
	waitFor(t, tm, "Which site")
	tm.Send(press("down"))
	tm.Send(press("enter"))
	tm.Type("shop.example.test")
	tm.Send(press("enter"))
	tm.Send(press("enter"))
	waitFor(t, tm, "upstream is empty")
	tm.Type("127.0.0.1:8000")
	tm.Send(press("enter"))
	waitFor(t, tm, "Step 3 of 9")
	sh, _ := finalView(t, tm, 80, 24)
	if sh.Current() != StepCertificate {
		t.Fatalf("at step %d", sh.Current())
	}
	if got := strings.Join(st.Opts.Domains, ","); got != "shop.example.test" || st.Opts.Upstream != "127.0.0.1:8000" {
		t.Fatalf("answers %q %q", got, st.Opts.Upstream)
	}
}

func TestSiteEscGoesBack(t *testing.T) {
	st, _ := newState(t)
	st.Detection, st.Pre = fixDetection(t), st.Preflight(st.Base)
	tm := start(t, st, StepSite, 80, 24)
	waitFor(t, tm, "Which site")
	tm.Send(press("esc"))
	waitFor(t, tm, "Step 1 of 9")
	sh, _ := finalView(t, tm, 80, 24)
	if sh.Current() != StepPreflight {
		t.Fatalf("at step %d", sh.Current())
	}
}

// Flags pre-fill the answers: --domain picks the matching site.
func TestSitePrefilledFromFlags(t *testing.T) {
	st, _ := newState(t)
	st.Detection = fixDetection(t)
	st.Opts.Domains = []string{"www.example.test"}
	tm := start(t, st, StepSite, 80, 24)
	waitFor(t, tm, "Which site")
	tm.Send(press("enter")) // every pre-filled answer is valid
	waitFor(t, tm, "Step 3 of 9")
	finalView(t, tm, 80, 24)
	if st.Opts.Upstream != "unix:/srv/app/app.sock" {
		t.Fatalf("upstream %q, want the site's", st.Opts.Upstream)
	}
}

// A fresh nginx with only its catch-all server: nothing to pick, so the
// names and the app are typed.
func TestSiteNothingDetected(t *testing.T) {
	st, _ := newState(t)
	cfg, err := nginxconf.Analyze([]nginxconf.File{
		fixFiles[0],
		{Path: fixSite, Content: []byte("server {\n\tlisten 80 default_server;\n\tserver_name _;\n\troot /var/www/html;\n}\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	d := nginx.New(nginx.Nginx{Bin: "/usr/sbin/nginx", Conf: fixConf}, nginx.Version{Major: 1, Minor: 22, Patch: 1}, cfg)
	d.Running = true
	st.Detection = d.Detection
	tm := start(t, st, StepSite, 80, 24)
	waitFor(t, tm, "Domain names")
	tm.Type("new.example.test")
	waitFor(t, tm, "203.0.113.10")
	_, v := finalView(t, tm, 80, 24)
	golden(t, v)
}

// The app address typed is refused next to the field when the engine's
// probe says the site's current app answers and the new one does not;
// when nothing answers, the step says so once and Enter goes on.
func TestSiteAppProbe(t *testing.T) {
	st, _ := newState(t)
	st.Detection = fixDetection(t)
	var appUp atomic.Bool // the site's current app answers
	appUp.Store(true)
	st.CheckApp = func(p *provision.Plan) error {
		if appUp.Load() {
			return &provision.FieldError{Field: provision.FlagUpstream, Err: &provision.AppMismatchError{New: p.Settings.Upstream.String(), Current: "unix:/srv/app/app.sock", Reason: errors.New("no such socket")}}
		}
		p.Warnings = append(p.Warnings, "nothing answers at "+p.Settings.Upstream.String())
		return nil
	}
	tm := start(t, st, StepSite, 80, 24)
	waitFor(t, tm, "Which site")
	tm.Send(press("tab"))
	tm.Send(press("tab"))
	for range len("unix:/srv/app/app.sock") {
		tm.Send(press("backspace"))
	}
	tm.Type("unix:/srv/app/myproject.sock")
	tm.Send(press("enter"))
	waitFor(t, tm, "current app at unix:/srv/app/app.sock")
	appUp.Store(false)
	tm.Send(press("enter"))
	waitFor(t, tm, "go on anyway")
	tm.Send(press("enter"))
	waitFor(t, tm, "Step 3 of 9")
	finalView(t, tm, 80, 24)
	if st.Opts.Upstream != "unix:/srv/app/myproject.sock" {
		t.Fatalf("upstream %q", st.Opts.Upstream)
	}
	// The plan the confirm step shows still says so.
	if err := st.Settle(); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(st.Plan.Warnings, func(w string) bool { return strings.Contains(w, "nothing answers at unix:/srv/app/myproject.sock") }) {
		t.Fatalf("the settled plan lost the app warning: %q", st.Plan.Warnings)
	}
}
