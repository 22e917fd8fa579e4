package main

import (
	"cmp"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/httpsify/httpsify/assets/i18n"
	"github.com/httpsify/httpsify/provision/dnschallenge"
	"github.com/httpsify/httpsify/provision/termtext"
)

// Set at release build time with -ldflags "-X main.version=1.2.0
// -X main.commit=… -X main.date=…"; otherwise read from the build info,
// which `go build` fills from git (unless -buildvcs=false) and
// `go install …@v1.2.0` fills with the module version.
var version, commit, date string

// buildVersion is what --version reports.
type buildVersion struct {
	Version, Commit, Date, Go, Lego string
	Modified                        bool
	DNSHelper                       string // where the DNS provider helper is, or why not
}

func currentVersion() buildVersion {
	bi, _ := debug.ReadBuildInfo()
	v := versionFrom(bi, version, commit, date)
	v.DNSHelper = dnsHelperLine()
	return v
}

// dnsHelperLine says which DNS provider helper this httpsify would run
// (a few stat calls; nothing is started), so an install can be checked.
func dnsHelperLine() string {
	path, err := dnschallenge.FindHelper()
	var missing *dnschallenge.HelperMissingError
	switch {
	case errors.As(err, &missing):
		return i18n.T("not installed (DNS-01 through a provider needs %s)", strings.Join(missing.Looked, i18n.T(" or ")))
	case err != nil:
		return termtext.Clean(err.Error())
	}
	return path
}

// versionFrom prefers the -X values and falls back to the build info.
func versionFrom(bi *debug.BuildInfo, version, commit, date string) buildVersion {
	v := buildVersion{Version: version, Commit: commit, Date: date, Go: runtime.Version()}
	if bi == nil {
		v.Version = cmp.Or(v.Version, "dev")
		return v
	}
	if v.Version == "" && bi.Main.Version != "(devel)" {
		v.Version = bi.Main.Version
	}
	v.Version = cmp.Or(v.Version, "dev")
	v.Go = cmp.Or(bi.GoVersion, v.Go)
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Commit = cmp.Or(v.Commit, s.Value)
		case "vcs.time":
			v.Date = cmp.Or(v.Date, s.Value)
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	for _, d := range bi.Deps {
		if d.Path == "github.com/go-acme/lego/v4" {
			v.Lego = d.Version
			if d.Replace != nil {
				v.Lego = d.Replace.Version + " (replaced)"
			}
		}
	}
	return v
}

func (v buildVersion) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "httpsify %s\n", v.Version)
	// The date is the commit's, which keeps builds reproducible.
	commit := cmp.Or(v.Commit, "unknown")
	if v.Date != "" {
		commit += " of " + v.Date
	}
	if v.Modified {
		commit += " with uncommitted changes"
	}
	fmt.Fprintf(&b, "  commit: %s\n", commit)
	fmt.Fprintf(&b, "  go:     %s %s/%s\n", v.Go, runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "  lego:   %s", cmp.Or(v.Lego, "unknown"))
	if v.DNSHelper != "" {
		fmt.Fprintf(&b, "\n  dns:    %s", v.DNSHelper)
	}
	return b.String()
}

func versionLine() string { return currentVersion().String() }
