package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// Bad command lines exit 2 and name what was wrong; help exits 0.
func TestRunExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"apply", "--bogus"}, 2, "--bogus"},
		{[]string{"apply", "--http-port", "eighty"}, 2, "--http-port"},
		{[]string{"apply", "--wait", "soon"}, 2, "--wait"},
		{[]string{"apply", "stray"}, 2, `"stray"`},
		{[]string{"apply", "--domain"}, 2, "--domain"},
		{[]string{"--no-such-flag"}, 2, "--no-such-flag"},
		{[]string{"version", "extra"}, 2, `"extra"`},
		{[]string{"apply", "--help"}, 0, "--dry-run"},
		{[]string{"help", "apply"}, 0, "--dry-run"},
		{[]string{"--help"}, 0, "--accessible"},
		{[]string{"-h"}, 0, "--accessible"},
		{[]string{"-help"}, 0, "--accessible"},
	} {
		var out, errb bytes.Buffer
		code := run(tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(out.String()+errb.String(), tc.says) {
			t.Errorf("%q: exit %d, want %d mentioning %s\nstdout: %s\nstderr: %s", tc.args, code, tc.code, tc.says, out.String(), errb.String())
		}
	}
}

// Each spelling of the version request prints the same report on stdout.
func TestVersionSpellings(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 0 || out.String() != versionLine()+"\n" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out.String(), errb.String())
		}
	}
}

func TestVersionFromBuildInfo(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.0",
		Main:      debug.Module{Path: "github.com/httpsify/httpsify", Version: "v1.2.0"},
		Deps:      []*debug.Module{{Path: "github.com/go-acme/lego/v4", Version: "v4.35.2"}},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef"},
			{Key: "vcs.time", Value: "2026-11-30T12:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	got := versionFrom(bi, "", "", "").String()
	for _, want := range []string{"httpsify v1.2.0\n", "commit: 0123456789abcdef of 2026-11-30T12:00:00Z with uncommitted changes", "go:     go1.26.0 ", "lego:   v4.35.2"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	// A release build's -X values win over what the build info says.
	got = versionFrom(bi, "1.3.0", "feedface", "2026-12-01T00:00:00Z").String()
	if !strings.HasPrefix(got, "httpsify 1.3.0\n") || !strings.Contains(got, "commit: feedface of 2026-12-01T00:00:00Z") {
		t.Errorf("-X values ignored:\n%s", got)
	}
	// A local build without VCS stamping says so rather than guessing.
	local := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}
	if got := versionFrom(local, "", "", "").String(); !strings.HasPrefix(got, "httpsify dev\n") || !strings.Contains(got, "commit: unknown") {
		t.Errorf("local build:\n%s", got)
	}
}

// The spellings Go's flag package accepted keep working.
func TestOneDashLongFlags(t *testing.T) {
	root := newRootCmd(new(int))
	got := longFlagsWithOneDash(root, []string{"apply", "-domain", "a.example", "-http-port=8080", "-h", "--yes", "--", "-domain"})
	want := []string{"apply", "--domain", "a.example", "--http-port=8080", "-h", "--yes", "--", "-domain"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// The wizard takes every flag apply takes, except apply's own.
func TestWizardTakesApplyFlags(t *testing.T) {
	root := newRootCmd(new(int))
	apply, _, err := root.Find([]string{"apply"})
	if err != nil {
		t.Fatal(err)
	}
	own := map[string]bool{"dry-run": true, "full": true, "yes": true}
	apply.Flags().VisitAll(func(f *pflag.Flag) {
		if !own[f.Name] && root.Flags().Lookup(f.Name) == nil {
			t.Errorf("the wizard lacks --%s", f.Name)
		}
	})
}

// renew and apply refuse bad input with exit 2, before touching anything.
func TestRenewBadInputExits2(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"renew", "--state-dir", dir, "--profile", "Not A Profile"},
		{"renew", "--state-dir", dir, "--deploy-hook", "a\nb"},
		{"renew", "--state-dir", dir, "--domain", "unknown.example"},
		{"apply", "--domain", "a.example", "--state-dir", dir, "--schedule", "weekly", "--yes"},
	} {
		code := 0
		root := newRootCmd(&code)
		root.SetArgs(args)
		if err := root.Execute(); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if code != 2 {
			t.Errorf("%q exited %d, want 2", args, code)
		}
	}
}
