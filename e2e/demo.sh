#!/usr/bin/env bash
# make demo: a plain-HTTP nginx site (in a private sandbox in a fresh
# mktemp -d directory, printed) is turned into HTTPS by the httpsify wizard,
# in this terminal, with a certificate from Pebble, then fetched over HTTPS
# with curl. HTTPSIFY_DEMO_HEADLESS=1 runs `httpsify apply` instead (also
# used when there is no terminal); HTTPSIFY_DEMO_KEEP=1 leaves the sandbox
# running; HTTPSIFY_DEMO_DIR=D reuses D, which root must own and only root
# may write (the demo runs as root and reads files from it).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
	echo "demo: httpsify manages nginx as root. Run:" >&2
	echo "  sudo env \"PATH=\$PATH\" make demo" >&2
	exit 1
fi
# root_only DIR: DIR is a real directory (no symlink) that root owns and
# neither group nor others can write, so nobody else can plant files in it.
root_only() {
	[ -d "$1" ] && [ ! -L "$1" ] || return 1
	local owner mode
	owner=$(stat -c %u "$1") mode=$(stat -c %a "$1")
	[ "$owner" = 0 ] && [ $((8#$mode & 8#022)) = 0 ]
}

if [ -n "${HTTPSIFY_DEMO_DIR:-}" ]; then
	DIR="$HTTPSIFY_DEMO_DIR"
	if [ -e "$DIR" ] || [ -L "$DIR" ]; then
		if ! root_only "$DIR"; then
			echo "demo: refusing $DIR: $(stat -c 'owner %U (uid %u), mode %A' "$DIR"); it must be a directory only root can write" >&2
			exit 2
		fi
	else
		mkdir -m 0700 "$DIR"
	fi
else
	DIR=$(mktemp -d /tmp/httpsify-demo.XXXXXXXX)
	made_dir=1
fi
echo "demo: sandbox in $DIR"
[ "${HTTPSIFY_DEPS_DONE:-}" = 1 ] || bash e2e/install-deps.sh
export PATH="/usr/local/go/bin:$PATH"
export PATH="$(go env GOPATH | cut -d: -f1)/bin:$PATH"

go build -o bin/httpsify ./cmd/httpsify
go build -o bin/sandbox ./e2e/cmd/sandbox

# A demo that was killed hard may have left its sandbox running.
bin/sandbox down --dir "$DIR" >/dev/null 2>&1 || true
rm -f "$DIR/sandbox.env"
bin/sandbox up --dir "$DIR" >"$DIR/sandbox-up.log" 2>&1 &
sandbox_pid=$!
stop_sandbox() {
	local status=$?
	if [ "${HTTPSIFY_DEMO_KEEP:-}" = 1 ]; then
		echo "sandbox left running; stop it with: bin/sandbox down --dir $DIR"
		return
	fi
	bin/sandbox down --dir "$DIR" >/dev/null 2>&1 || kill "$sandbox_pid" 2>/dev/null || true
	wait "$sandbox_pid" 2>/dev/null || true
	# A fresh directory goes again after a good run; after a failure its
	# logs stay for reading.
	if [ "${made_dir:-}" = 1 ] && [ "$status" = 0 ]; then
		rm -rf "$DIR"
	else
		echo "demo: logs kept in $DIR"
	fi
}
trap stop_sandbox EXIT

# sandbox.env appears (atomically) once everything answers.
for _ in $(seq 600); do
	[ -f "$DIR/sandbox.env" ] && break
	if ! kill -0 "$sandbox_pid" 2>/dev/null; then
		echo "demo: sandbox failed to start:" >&2
		cat "$DIR/sandbox-up.log" >&2
		exit 1
	fi
	sleep 0.1
done
if [ ! -f "$DIR/sandbox.env" ]; then
	echo "demo: sandbox not ready after 60s; see $DIR/sandbox-up.log and $DIR/logs/" >&2
	exit 1
fi
# Sourced as root: only when the sandbox (root) wrote it, in our directory.
if ! root_only "$DIR" || [ -L "$DIR/sandbox.env" ] || [ "$(stat -c %u "$DIR/sandbox.env")" != 0 ]; then
	echo "demo: $DIR/sandbox.env was not written by the sandbox; not reading it" >&2
	exit 1
fi
# shellcheck disable=SC1091
. "$DIR/sandbox.env"
echo "sandbox ready: http://$DOMAIN:$HTTP_PORT/ (logs in $DIR/logs)"

if [ "${HTTPSIFY_DEMO_HEADLESS:-}" = 1 ] || [ ! -t 0 ] || [ ! -t 1 ]; then
	# No terminal (CI), or asked for: the same change without questions.
	echo "+ bin/httpsify apply $HTTPSIFY_ARGS"
	# Unquoted on purpose: HTTPSIFY_ARGS is a word list without spaces inside words.
	# shellcheck disable=SC2086
	bin/httpsify apply $HTTPSIFY_ARGS
else
	# The wizard gets the sandbox's flags; the answers (domain, email,
	# terms) are the person's to give. Its name check asks the sandbox's
	# DNS server (HTTP port + 4), which answers 127.0.0.1 for every name.
	wizard_args=()
	# shellcheck disable=SC2086 # a word list without spaces inside words
	set -- $HTTPSIFY_ARGS
	while [ $# -gt 0 ]; do
		case "$1" in
		--yes | --agree-tos) ;;
		--domain | --email) shift ;;
		*) wizard_args+=("$1") ;;
		esac
		shift
	done
	wizard_args+=(--dns-server "127.0.0.1:$((HTTP_PORT + 4))")
	echo "+ bin/httpsify ${wizard_args[*]}"
	echo "  (Enter takes what is offered; type an email if you like; y to agree)"
	status=0
	bin/httpsify "${wizard_args[@]}" || status=$?
	if [ "$status" != 0 ]; then
		echo "demo: the wizard ended without finishing (exit $status)" >&2
		exit "$status"
	fi
fi

curl_cmd=(curl --silent --show-error --cacert "$ISSUER_ROOT" --resolve "$DOMAIN:$HTTPS_PORT:127.0.0.1" "https://$DOMAIN:$HTTPS_PORT/")
echo
echo "+ ${curl_cmd[*]}"
"${curl_cmd[@]}"
