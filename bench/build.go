package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Binaries are the two builds measured: as `go build` makes it, and
// stripped of symbols and DWARF as a release would ship it.
type Binaries struct {
	Path                string // the build that is run
	Size, StrippedSize  int64
	GoVersion, Revision string
	// ReleaseSizes are the static release builds make deb packages
	// (CGO_ENABLED=0 -trimpath -s -w), by GOARCH, in releaseArchs order.
	ReleaseSizes map[string]int64
	// The DNS provider helper (cmd/httpsify-dns-provider), which carries
	// lego's DNS providers and runs only for DNS-01 through one: its
	// stripped size here and its release builds by GOARCH.
	HelperStrippedSize int64
	HelperReleaseSizes map[string]int64
}

const (
	mainPkg   = "./cmd/httpsify"
	helperPkg = "./cmd/httpsify-dns-provider"
)

// releaseArchs are the architectures make deb builds.
var releaseArchs = []string{"amd64", "arm64"}

func buildBinaries(dir string) (b Binaries, err error) {
	b.Path = filepath.Join(dir, "httpsify")
	stripped := filepath.Join(dir, "httpsify-stripped")
	helper := filepath.Join(dir, "httpsify-dns-provider-stripped")
	for _, args := range [][]string{
		{"build", "-o", b.Path, mainPkg},
		{"build", "-trimpath", "-ldflags=-s -w", "-o", stripped, mainPkg},
		{"build", "-trimpath", "-ldflags=-s -w", "-o", helper, helperPkg},
	} {
		if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
			return b, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for p, size := range map[string]*int64{b.Path: &b.Size, stripped: &b.StrippedSize, helper: &b.HelperStrippedSize} {
		st, err := os.Stat(p)
		if err != nil {
			return b, err
		}
		*size = st.Size()
	}
	if b.ReleaseSizes, err = releaseSizes(dir, mainPkg); err != nil {
		return b, err
	}
	if b.HelperReleaseSizes, err = releaseSizes(dir, helperPkg); err != nil {
		return b, err
	}
	out, _ := exec.Command("go", "version", b.Path).Output()
	b.GoVersion = strings.TrimSpace(strings.TrimPrefix(string(out), b.Path+":"))
	// GOFLAGS may hold -buildvcs=false, so ask git for the revision.
	b.Revision = cmdOut("git", "rev-parse", "--short", "HEAD")
	if cmdOut("git", "status", "--porcelain") != "" {
		b.Revision += " + uncommitted changes"
	}
	return b, nil
}

// releaseSizes cross-builds pkg's release binary for each architecture.
func releaseSizes(dir, pkg string) (map[string]int64, error) {
	sizes := map[string]int64{}
	for _, arch := range releaseArchs {
		p := filepath.Join(dir, filepath.Base(pkg)+"-linux-"+arch)
		c := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", p, pkg)
		c.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
		if out, err := c.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("GOARCH=%s go build: %v\n%s", arch, err, out)
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		sizes[arch] = st.Size()
	}
	return sizes, nil
}

// releaseSizesText is "httpsify amd64 15.2 MiB, arm64 14.1 MiB;
// httpsify-dns-provider amd64 58.6 MiB, arm64 53.9 MiB".
func (b Binaries) releaseSizesText() string {
	return "httpsify " + archSizes(b.ReleaseSizes) + "; " + filepath.Base(helperPkg) + " " + archSizes(b.HelperReleaseSizes)
}

func archSizes(sizes map[string]int64) string {
	var parts []string
	for _, arch := range releaseArchs {
		parts = append(parts, fmt.Sprintf("%s %.1f MiB", arch, float64(sizes[arch])/(1<<20)))
	}
	return strings.Join(parts, ", ")
}

// certbotSize adds up Debian's Installed-Size of certbot, its nginx plugin
// and every python3-* library they pull in (Depends, recursively); the
// Python runtime itself is counted apart.
func certbotSize() string {
	out, err := exec.Command("apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
		"--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", "--installed",
		"certbot", "python3-certbot-nginx").Output()
	if err != nil {
		return "unknown (apt-cache failed)"
	}
	seen := map[string]bool{}
	var libs, runtime int64
	nLibs := 0
	for _, l := range strings.Split(string(out), "\n") {
		name := strings.TrimSpace(l)
		if name == "" || strings.Contains(name, ":") || strings.HasPrefix(name, "<") || seen[name] {
			continue
		}
		seen[name] = true
		isLib := name == "certbot" || strings.HasPrefix(name, "python3-")
		isRuntime := name == "python3" || strings.HasPrefix(name, "python3.") || strings.HasPrefix(name, "libpython3")
		if !isLib && !isRuntime {
			continue
		}
		size, err := exec.Command("dpkg-query", "-W", "-f=${Installed-Size}", name).Output()
		if err != nil {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSpace(string(size)), 10, 64)
		if isLib && !isRuntime {
			libs += n
			nLibs++
		} else {
			runtime += n
		}
	}
	return fmt.Sprintf("%.1f MiB in %d Debian packages (certbot and the python3-* libraries it depends on), plus %.1f MiB of Python 3 runtime", float64(libs)/1024, nLibs, float64(runtime)/1024)
}
