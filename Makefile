# Go lives at /usr/local/go on the project's Debian machines, and the tests
# need pebble from GOPATH/bin; neither is on PATH under sudo or in CI.
GOPATH_BIN := $(shell PATH=/usr/local/go/bin:$$PATH go env GOPATH 2>/dev/null | cut -d: -f1)/bin
export PATH := $(GOPATH_BIN):/usr/local/go/bin:$(PATH)

.PHONY: build test demo deps fmt-check bench bench-startup bench-renew release docs install uninstall deb

# The DNS provider helper goes beside httpsify, where it looks first.
build:
	go build -o bin/httpsify ./cmd/httpsify
	go build -o bin/httpsify-dns-provider ./cmd/httpsify-dns-provider

test: deps
	go vet ./... && go test -count=1 -timeout 15m ./...

# The sudo hint printed when not root names the make command that was run.
deps:
	HTTPSIFY_RERUN="make $(or $(MAKECMDGOALS),deps)" bash e2e/install-deps.sh

demo: deps
	HTTPSIFY_DEPS_DONE=1 bash e2e/demo.sh

fmt-check:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# httpsify against Debian's certbot on the same sandbox, plus TLS grades and
# fault figures; rewrites bench/RESULTS.md (about 5 minutes). BENCH_ARGS
# passes flags, e.g. BENCH_ARGS="-runs 9 -kill-trials 60".
bench:
	HTTPSIFY_RERUN="make bench" bash e2e/install-deps.sh --bench
	go run ./bench -out bench/RESULTS.md $(BENCH_ARGS)
	# renew with nothing due for 1, 100 and 1000 synthetic managed sites
	go test -run '^$$' -bench BenchmarkRenewNothingDue -benchtime 10x ./provision

# Just start-up and binary sizes (amd64, arm64), in seconds; needs no root.
bench-startup:
	go run ./bench -startup-only

# Just the renew rows (httpsify renew over 1/100/1000 synthetic sites,
# certbot renew over 20 lineages, nothing due): about a minute, replaces
# only that section of bench/RESULTS.md.
bench-renew:
	go run ./bench -renew-only -out bench/RESULTS.md $(BENCH_ARGS)

# --- Install and ship -------------------------------------------------------
# make install [PREFIX=/usr/local] [DESTDIR=…]: the binary, its DNS
# provider helper, man pages and bash/zsh/fish completions; make uninstall
# removes exactly those.
# make deb: dist/httpsify_VERSION_{amd64,arm64}.deb (nfpm, as a Go library).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
# Renewal: the systemd units (httpsify-renew.service/.timer), rendered for
# $(BINDIR)/httpsify, install disabled to $(SYSTEMDUNITDIR); apply enables them.
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
# The DNS provider helper (lego's DNS providers, kept out of httpsify so it
# starts fast): httpsify runs it only for DNS-01 through a provider, and
# looks for it beside itself, then in ../lib/httpsify from its own
# directory: $(PREFIX)/lib/httpsify here, /usr/lib/httpsify in the .deb.
HELPERDIR = $(abspath $(BINDIR)/../lib/httpsify)
DIST ?= dist
DEB_ARCHS ?= amd64 arm64

# The version is the v* tag (v1.2.0 → 1.2.0); without one, a Debian
# pre-release version from the commit: 0.0.0~git20261201T0120.6220de3.
# The date is the commit's, so the same commit builds the same files.
# (Recursive variables: git runs only for the targets that use them.)
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null)$(shell git diff --quiet HEAD -- 2>/dev/null || echo -dirty)
BUILD_DATE = $(shell date -u -d @$(SOURCE_DATE_EPOCH) +%Y-%m-%dT%H:%M:%SZ)
VERSION ?= $(or $(shell git describe --tags --match 'v[0-9]*' --exact-match 2>/dev/null | sed 's/^v//'),0.0.0~git$(shell date -u -d @$(SOURCE_DATE_EPOCH) +%Y%m%dT%H%M).$(shell git rev-parse --short HEAD 2>/dev/null))
RELEASE_LDFLAGS = -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(BUILD_DATE)
# Static, reproducible, stripped: what a server gets.
RELEASE_BUILD = CGO_ENABLED=0 go build -trimpath -ldflags "$(RELEASE_LDFLAGS)"

# The binaries for this machine, as installed.
release:
	$(RELEASE_BUILD) -o $(DIST)/httpsify ./cmd/httpsify
	$(RELEASE_BUILD) -o $(DIST)/httpsify-dns-provider ./cmd/httpsify-dns-provider

# Man pages (section 8: an administrator's command run as root) and the
# completion scripts, generated from the command tree; the gendocs tag
# adds the hidden generator, so the shipped binary has none.
docs:
	rm -rf $(DIST)/share
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) go run -tags gendocs -ldflags "-X main.version=$(VERSION)" ./cmd/httpsify gen-docs $(DIST)/share

install: release docs
	install -D -m 0755 $(DIST)/httpsify $(DESTDIR)$(BINDIR)/httpsify
	install -D -m 0755 $(DIST)/httpsify-dns-provider $(DESTDIR)$(HELPERDIR)/httpsify-dns-provider
	install -d $(DESTDIR)$(MANDIR)/man8
	install -m 0644 $(DIST)/share/man8/*.8 $(DESTDIR)$(MANDIR)/man8/
	install -D -m 0644 $(DIST)/share/completions/httpsify.bash $(DESTDIR)$(BASHCOMPDIR)/httpsify
	install -D -m 0644 $(DIST)/share/completions/_httpsify $(DESTDIR)$(ZSHCOMPDIR)/_httpsify
	install -D -m 0644 $(DIST)/share/completions/httpsify.fish $(DESTDIR)$(FISHCOMPDIR)/httpsify.fish
	go run ./packaging/units -bin $(BINDIR)/httpsify -out $(DIST)/units
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	install -m 0644 $(DIST)/units/httpsify-renew.service $(DIST)/units/httpsify-renew.timer $(DESTDIR)$(SYSTEMDUNITDIR)/

# The man pages to remove are the ones this version generates.
uninstall: docs
	for page in $(DIST)/share/man8/*.8; do rm -f "$(DESTDIR)$(MANDIR)/man8/$${page##*/}"; done
	rm -f $(DESTDIR)$(BINDIR)/httpsify \
		$(DESTDIR)$(BASHCOMPDIR)/httpsify $(DESTDIR)$(ZSHCOMPDIR)/_httpsify \
		$(DESTDIR)$(FISHCOMPDIR)/httpsify.fish \
		$(DESTDIR)$(SYSTEMDUNITDIR)/httpsify-renew.service $(DESTDIR)$(SYSTEMDUNITDIR)/httpsify-renew.timer \
		$(DESTDIR)$(HELPERDIR)/httpsify-dns-provider
	rmdir $(DESTDIR)$(HELPERDIR) 2>/dev/null || true

deb: docs
	set -e; for arch in $(DEB_ARCHS); do \
		GOARCH=$$arch $(RELEASE_BUILD) -o $(DIST)/linux-$$arch/httpsify ./cmd/httpsify; \
		GOARCH=$$arch $(RELEASE_BUILD) -o $(DIST)/linux-$$arch/httpsify-dns-provider ./cmd/httpsify-dns-provider; \
		SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) go run ./packaging/deb -arch $$arch -version '$(VERSION)' \
			-bin $(DIST)/linux-$$arch/httpsify -dns-helper $(DIST)/linux-$$arch/httpsify-dns-provider \
			-share $(DIST)/share -out $(DIST); \
	done
