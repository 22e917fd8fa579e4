// Command deb packages a built httpsify as a Debian package with nfpm,
// as a library, so no packaging tool has to be downloaded:
//
//	go run ./packaging/deb -arch amd64 -version 1.2.0 -bin dist/linux-amd64/httpsify \
//		-dns-helper dist/linux-amd64/httpsify-dns-provider -share dist/share -out dist
//
// make deb runs it for amd64 and arm64 after cross-building the binaries
// and generating the man pages and completions (make docs). It prints
// the path of the package it wrote.
package main

import (
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/goreleaser/nfpm/v2"
	_ "github.com/goreleaser/nfpm/v2/deb" // registers the deb packager
	"github.com/goreleaser/nfpm/v2/files"

	"github.com/httpsify/httpsify/provision/schedule"
)

// The package creates and enables nothing at install time: the renewal
// units ship disabled, and the first httpsify apply enables the timer.
// Its one maintainer script, prerm, takes that enablement away on
// remove. /etc/httpsify, which httpsify creates when it runs, is left
// alone on remove and on purge (see README, "Install"), because nginx
// keeps reading the certificates and keys in it.
const description = `puts HTTPS in front of an nginx site, in one sitting
 httpsify gets a certificate from an ACME CA (Let's Encrypt, ZeroSSL or
 another) through lego, writes a modern TLS configuration for an existing
 nginx site, checks it with nginx -t, reloads nginx and verifies that the
 site serves the new certificate. Every change is staged, backed up and
 rolled back on failure. Run sudo httpsify for the wizard, or httpsify apply
 for scripts.`

func main() {
	arch := flag.String("arch", "amd64", "Debian architecture: amd64 or arm64")
	version := flag.String("version", "", "package version (Debian syntax, starts with a digit)")
	bin := flag.String("bin", "", "the httpsify binary built for -arch")
	helper := flag.String("dns-helper", "", "the DNS provider helper (cmd/httpsify-dns-provider) built for -arch")
	share := flag.String("share", "dist/share", "the man pages and completions from make docs (man8/, completions/)")
	out := flag.String("out", "dist", "directory for the .deb")
	maintainer := flag.String("maintainer", "httpsify developers <httpsify@users.noreply.github.com>", "Maintainer field")
	flag.Parse()
	path, err := build(*arch, *version, *bin, *helper, *share, *out, *maintainer)
	if err != nil {
		fmt.Fprintln(os.Stderr, "deb:", err)
		os.Exit(1)
	}
	fmt.Println(path)
}

func build(arch, version, bin, helper, share, out, maintainer string) (string, error) {
	if arch != "amd64" && arch != "arm64" {
		return "", fmt.Errorf("-arch %q: amd64 or arm64", arch)
	}
	if version == "" || version[0] < '0' || version[0] > '9' {
		return "", fmt.Errorf("-version %q: a Debian version starts with a digit", version)
	}
	tmp, err := os.MkdirTemp("", "httpsify-deb-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)

	if helper == "" {
		return "", fmt.Errorf("-dns-helper: the DNS provider helper is part of the package")
	}
	// httpsify finds its DNS provider helper in ../lib/httpsify from its
	// own directory (dnschallenge.HelperDir).
	contents := files.Contents{
		file(bin, "/usr/bin/httpsify", 0o755),
		file(helper, "/usr/lib/httpsify/httpsify-dns-provider", 0o755),
	}
	// Debian ships man pages gzipped (policy 12.1).
	pages, err := filepath.Glob(filepath.Join(share, "man8", "*.8"))
	if err != nil || len(pages) == 0 {
		return "", fmt.Errorf("no man pages in %s/man8: run make docs", share)
	}
	for _, p := range pages {
		gz := filepath.Join(tmp, filepath.Base(p)+".gz")
		if err := gzipFile(p, gz); err != nil {
			return "", err
		}
		contents = append(contents, file(gz, "/usr/share/man/man8/"+filepath.Base(gz), 0o644))
	}
	comp := filepath.Join(share, "completions")
	contents = append(contents,
		file(filepath.Join(comp, "httpsify.bash"), "/usr/share/bash-completion/completions/httpsify", 0o644),
		file(filepath.Join(comp, "_httpsify"), "/usr/share/zsh/vendor-completions/_httpsify", 0o644),
		file(filepath.Join(comp, "httpsify.fish"), "/usr/share/fish/vendor_completions.d/httpsify.fish", 0o644),
	)
	// Renewal: the units, rendered for /usr/bin/httpsify by the code
	// apply installs them with, in Debian's directory for package units.
	units, err := schedule.Units("/usr/bin/httpsify")
	if err != nil {
		return "", err
	}
	for _, u := range units {
		src := filepath.Join(tmp, u.Name)
		if err := os.WriteFile(src, u.Body, 0o644); err != nil {
			return "", err
		}
		contents = append(contents, file(src, "/lib/systemd/system/"+u.Name, 0o644))
	}
	prerm := filepath.Join(tmp, "prerm")
	if err := os.WriteFile(prerm, []byte(prermScript), 0o755); err != nil {
		return "", err
	}

	info := nfpm.WithDefaults(&nfpm.Info{
		Name:          "httpsify",
		Arch:          arch,
		Platform:      "linux",
		Version:       version,
		VersionSchema: "none",
		Section:       "admin",
		Priority:      "optional",
		Maintainer:    maintainer,
		Description:   description,
		Homepage:      "https://github.com/httpsify/httpsify",
		Overridables: nfpm.Overridables{
			// A static Go binary (CGO_ENABLED=0) needs no library. It
			// manages nginx but runs (and says so) without it; bash reads
			// the completion only with bash-completion.
			Suggests: []string{"nginx", "bash-completion"},
			Contents: contents,
			Scripts:  nfpm.Scripts{PreRemove: prerm},
		},
	})
	if err := nfpm.PrepareForPackager(info, "deb"); err != nil {
		return "", err
	}
	pkg, err := nfpm.Get("deb")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(out, pkg.ConventionalFileName(info))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := pkg.Package(info, f); err != nil {
		f.Close()
		os.Remove(path)
		return "", err
	}
	return path, f.Close()
}

// prermScript disables the timer on remove (not on upgrade, which keeps
// it), so no enablement of a unit that is gone stays behind: with
// systemctl when systemd runs, else by removing the link apply made to
// the package's timer (a copy apply wrote to /etc is not the package's).
const prermScript = `#!/bin/sh
set -e
case "$1" in
remove|deconfigure)
	if [ -d /run/systemd/system ]; then
		systemctl disable --now httpsify-renew.timer || true
	fi
	link=/etc/systemd/system/timers.target.wants/httpsify-renew.timer
	case "$(readlink "$link" 2>/dev/null || true)" in
	/lib/systemd/system/*|/usr/lib/systemd/system/*) rm -f "$link" ;;
	esac
	;;
esac
exit 0
`

func file(src, dst string, mode os.FileMode) *files.Content {
	return &files.Content{Source: src, Destination: dst, Type: files.TypeFile,
		FileInfo: &files.ContentFileInfo{Owner: "root", Group: "root", Mode: mode}}
}

// gzipFile compresses without a name or time in the header, so the
// package is the same from one build to the next.
func gzipFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(out, gzip.BestCompression)
	if err != nil {
		out.Close()
		return err
	}
	if _, err := io.Copy(zw, in); err != nil {
		out.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
