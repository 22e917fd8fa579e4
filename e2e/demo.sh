#!/usr/bin/env bash
# make demo: a plain-HTTP nginx site (in a private sandbox under
# /tmp/httpsify-demo) is turned into HTTPS by httpsify with a certificate
# from Pebble, then fetched over HTTPS with curl.
# HTTPSIFY_DEMO_KEEP=1 leaves the sandbox running afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
	echo "demo: httpsify manages nginx as root. Run:" >&2
	echo "  sudo env \"PATH=\$PATH\" make demo" >&2
	exit 1
fi
[ "${HTTPSIFY_DEPS_DONE:-}" = 1 ] || bash e2e/install-deps.sh
export PATH="/usr/local/go/bin:$PATH"
export PATH="$(go env GOPATH | cut -d: -f1)/bin:$PATH"

DIR="${HTTPSIFY_DEMO_DIR:-/tmp/httpsify-demo}"
go build -o bin/httpsify ./cmd/httpsify
go build -o bin/sandbox ./e2e/cmd/sandbox

# A demo that was killed hard may have left its sandbox running.
bin/sandbox down --dir "$DIR" >/dev/null 2>&1 || true
mkdir -p "$DIR"
rm -f "$DIR/sandbox.env"
bin/sandbox up --dir "$DIR" >"$DIR/sandbox-up.log" 2>&1 &
sandbox_pid=$!
stop_sandbox() {
	if [ "${HTTPSIFY_DEMO_KEEP:-}" = 1 ]; then
		echo "sandbox left running; stop it with: bin/sandbox down --dir $DIR"
		return
	fi
	bin/sandbox down --dir "$DIR" >/dev/null 2>&1 || kill "$sandbox_pid" 2>/dev/null || true
	wait "$sandbox_pid" 2>/dev/null || true
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
# shellcheck disable=SC1091
. "$DIR/sandbox.env"
echo "sandbox ready: http://$DOMAIN:$HTTP_PORT/ (logs in $DIR/logs)"

echo "+ bin/httpsify apply $HTTPSIFY_ARGS"
# Unquoted on purpose: HTTPSIFY_ARGS is a word list without spaces inside words.
# shellcheck disable=SC2086
bin/httpsify apply $HTTPSIFY_ARGS

curl_cmd=(curl --silent --show-error --cacert "$ISSUER_ROOT" --resolve "$DOMAIN:$HTTPS_PORT:127.0.0.1" "https://$DOMAIN:$HTTPS_PORT/")
echo
echo "+ ${curl_cmd[*]}"
"${curl_cmd[@]}"
