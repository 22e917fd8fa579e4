# Go lives at /usr/local/go on the project's Debian machines, and the tests
# need pebble from GOPATH/bin; neither is on PATH under sudo or in CI.
GOPATH_BIN := $(shell PATH=/usr/local/go/bin:$$PATH go env GOPATH 2>/dev/null | cut -d: -f1)/bin
export PATH := $(GOPATH_BIN):/usr/local/go/bin:$(PATH)

.PHONY: build test demo deps fmt-check bench

build:
	go build -o bin/httpsify ./cmd/httpsify

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
