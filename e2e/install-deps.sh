#!/usr/bin/env bash
# Installs what the e2e tests and `make demo` need on Debian 12: nginx, tmux,
# curl, openssl, ca-certificates, sslscan (the TLS grade) and make, which a
# bare Debian lacks; BIND 9 (bind9: named, tsig-keygen; bind9-dnsutils:
# nsupdate, dig) for the DNS-01 tests' private authoritative server; git,
# man-db and bash-completion for the .deb install test (version, man page,
# completion); systemd for systemd-analyze, which checks the renewal timer
# and service units (it works without systemd running, as in a container);
# Pebble and pebble-challtestsrv. With --bench, also certbot
# and its nginx plugin for `make bench`. Idempotent: anything present is
# left alone, so it is cheap to run before every test run.
set -euo pipefail

PEBBLE_VERSION=v2.10.3
APT_PKGS=(make nginx tmux curl openssl ca-certificates sslscan bind9 bind9-dnsutils git man-db bash-completion systemd)
# Debian's certbot: the takeover test (e2e/certbot_takeover_test.go) has it
# issue a lineage against Pebble, which httpsify then adopts.
APT_PKGS+=(certbot)
# `make bench` compares httpsify with Debian's certbot; tests never need it.
if [ "${1:-}" = --bench ]; then
	APT_PKGS+=(certbot python3-certbot-nginx)
fi

# Go is at /usr/local/go on the project's machines, often not on PATH (sudo, CI).
export PATH="/usr/local/go/bin:$PATH"
if ! command -v go >/dev/null; then
	echo "install-deps: go not found on PATH or in /usr/local/go/bin" >&2
	exit 1
fi
gobin="$(go env GOBIN)"
[ -n "$gobin" ] || gobin="$(go env GOPATH | cut -d: -f1)/bin"
export PATH="$gobin:$PATH"

missing=()
for p in "${APT_PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
	if [ "$(id -u)" != 0 ]; then
		# HTTPSIFY_RERUN is set by the Makefile to the make command that was run.
		echo "install-deps: missing Debian packages: ${missing[*]}. Run as root:" >&2
		echo "  sudo env \"PATH=\$PATH\" ${HTTPSIFY_RERUN:-bash $(realpath "$0")}" >&2
		exit 1
	fi
	echo "install-deps: apt-get install ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
	# The tests run their own named on a loopback port; the system-wide
	# resolver the package starts under systemd (port 53, every interface)
	# is not wanted, so when this run installed it, it is switched off.
	if [[ " ${missing[*]} " == *" bind9 "* ]] && [ -d /run/systemd/system ]; then
		echo "install-deps: disabling the system named service (the tests start their own)"
		systemctl disable --now named.service
	fi
fi

# Reinstall when absent or built from another version (go version -m tells).
for cmd in pebble pebble-challtestsrv; do
	if ! go version -m "$gobin/$cmd" 2>/dev/null |
		grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/letsencrypt/pebble/v2[[:space:]]+$PEBBLE_VERSION[[:space:]]"; then
		echo "install-deps: go install $cmd@$PEBBLE_VERSION"
		go install "github.com/letsencrypt/pebble/v2/cmd/$cmd@$PEBBLE_VERSION"
	fi
done
