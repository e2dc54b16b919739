# EPS Tracker. The targets are the project's vocabulary: run, demo, test, bench,
# build, widget, worker, size, frontend, fuzz, check-imports. Each sets up what it needs,
# idempotently, and builds only what changed.

GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
BIN      := bin/eps-tracker
LDFLAGS  := -X main.version=$(VERSION)
WASMEXEC := $(shell $(GO) env GOROOT)/lib/wasm
FUZZTIME ?= 30s
ADDR     ?= 127.0.0.1:8080
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Host packages core/ must never depend on (directly or not), and syscall/js,
# which core/ must not import itself (the standard library uses it under js).
HOST_MODULES := wailsapp|syumai

# The packages a browser links (the widget's wasm build): the widget, its
# fetch transport, the service and everything under it. None may link
# net/http, nor TLS-MA's crypto/tls and PKCS#12 (together 1.1 MB of the build's
# brotli): a host adapts its HTTP client to core/transport instead.
# (core/sandbox/sandboxhttp serves the sandbox over HTTP for native hosts only:
# not one of them.)
BROWSER_PACKAGES := ./wasm/widget ./wasm/fetch ./core/service ./core/client ./core/sandbox ./core/validate \
	./core/tracker ./core/transport ./core/redact ./core/internal/ascii
NATIVE_ONLY      := net/http|crypto/tls|software.sslmate.com/src/go-pkcs12

# The widget's WebAssembly (the core, ./wasm/widget) is built to be small as a
# browser downloads it: no symbol table (-s), no paths of this machine, and no
# inlining in the standard library and the modules we use (-l), while our own
# packages keep theirs. That saves 0.23 MB of brotli (1.82 -> 1.59 MB) for a
# check per keystroke of 0.14 ms rather than 0.09 (p50 under Node; p99 under
# 0.6 ms either way, against a budget of 2 ms). And the validation library
# without its validateFn rule (a tag of its own; we use no such rule), which
# looks methods up by name: that makes the linker keep every exported method
# of every type, 1.8 MB of the core's 10.9 MB (0.15 MB of brotli) that a
# browser must fetch and compile before its first check (make check-imports
# fails on any lookup). The widget as served must stay within WIDGET_BUDGET
# bytes of brotli (make size).
WIDGET_GOFLAGS := -trimpath -tags=validator_novalidatefn -ldflags=-s -gcflags=all=-l -gcflags=github.com/eps-tracker/eps-tracker/...=
WIDGET_BUDGET  := 1800000
WASM           := frontend/build/eps-tracker.wasm
WASM_SRC       := $(shell find core wasm -name '*.go' -not -name '*_test.go' 2>/dev/null) go.mod go.sum
COMPRESSED     := frontend/build/compressed.stamp

.PHONY: all deps build run demo test test-native test-wasm test-frontend test-worker frontend widget worker size vet fmt-check check-imports bench fuzz clean

all: build

## deps: install what the build and the tests need (gcc for -race, Node.js for the wasm lane
## and the frontend, Chromium for the browser tests, curl for the demo, brotli to measure what
## a browser downloads, Go modules)
deps:
	@command -v gcc >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends gcc libc6-dev; }
	@command -v node >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends nodejs; }
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends npm; }
	@node -e 'const [a, b] = process.versions.node.split(".").map(Number); if (a < 20 || (a == 20 && b < 19)) { console.error("Node.js " + process.versions.node + " is too old: the frontend needs 20.19 or newer"); process.exit(1) }'
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium; }
	@command -v curl >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends curl ca-certificates; }
	@command -v brotli >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends brotli; }
	@$(GO) mod download

## build: build the eps-tracker command into bin/, with the widget inside (make widget first)
build: deps widget
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/eps-tracker

## run: build everything and serve it (eps-tracker serve): the app, the demo portal, the widget
## and the sandbox, at the address it prints (ADDR, default 127.0.0.1:8080); stop with Ctrl-C
run: build
	$(BIN) serve --addr $(ADDR)

## demo: build the command and show it validating and parsing sample inputs, then searching the sandbox
demo: build
	@scripts/demo.sh $(BIN)

## widget: build the <eps-tracker> widget's files into frontend/dist, as eps-tracker serve embeds
## them: the core's WebAssembly, then the frontend around it, then each file precompressed
widget: deps $(COMPRESSED)

$(WASM): $(WASM_SRC)
	@mkdir -p $(@D)
	GOOS=js GOARCH=wasm $(GO) build $(WIDGET_GOFLAGS) -o $@ ./wasm/widget

$(COMPRESSED): frontend/dist/eps-tracker.js
	scripts/compress.sh frontend/dist
	@touch $@

# The gateway as a Cloudflare Worker (./wasm/worker): the Go program, Go's
# wasm_exec.js and the entry module that starts the program once per isolate,
# in WORKER_DIR, from where wrangler deploys them (wasm/worker/wrangler.toml).
# No symbol table, no paths of this machine; inlining kept, for speed. The
# upload must stay within WORKER_BUDGET bytes of gzip: Cloudflare's limit for
# a Worker on a paid plan, 10 MB (make size).
WORKER_DIR     := wasm/worker/build
WORKER_GOFLAGS := -trimpath -ldflags=-s
WORKER_BUDGET  := 10000000
WORKER_FILES   := $(WORKER_DIR)/gateway.wasm $(WORKER_DIR)/wasm_exec.js $(WORKER_DIR)/worker.mjs
WORKERD_NPM    := wasm/worker/node_modules/.installed

## worker: build the gateway's Cloudflare Worker into wasm/worker/build, as wrangler deploys it
worker: deps $(WORKER_FILES)

$(WORKER_DIR)/gateway.wasm: $(WASM_SRC)
	@mkdir -p $(@D)
	GOOS=js GOARCH=wasm $(GO) build $(WORKER_GOFLAGS) -o $@ ./wasm/worker

$(WORKER_DIR)/wasm_exec.js: $(WASMEXEC)/wasm_exec.js
	@mkdir -p $(@D)
	cp $< $@

$(WORKER_DIR)/worker.mjs: wasm/worker/worker.mjs
	@mkdir -p $(@D)
	cp $< $@

# workerd, Cloudflare's runtime, from npm (its binary ships in a package of
# its own for each platform), for the Worker's tests and benchmark.
$(WORKERD_NPM): wasm/worker/package.json wasm/worker/package-lock.json
	cd wasm/worker && npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

WORKERD = $$(cd wasm/worker && node -p 'require("workerd").default')

## size: build the widget and measure it as a browser downloads it, beside an empty Go program,
## failing above WIDGET_BUDGET; then the Worker as Cloudflare counts it, failing above WORKER_BUDGET
size: widget worker
	@GO="$(GO)" scripts/size.sh frontend/dist $(WIDGET_BUDGET) $(WIDGET_GOFLAGS)
	@GO="$(GO)" scripts/worker-size.sh $(WORKER_DIR) $(WORKER_BUDGET) $(WORKER_GOFLAGS)

## test: the test lanes (native with -race, wasm under Node, the frontend in Chromium), vet,
## formatting and the import check
test: deps fmt-check vet check-imports widget test-native test-wasm test-frontend test-worker

test-native:
	$(GO) test -race -count=1 ./...

# (The Worker, ./wasm/worker, runs in workerd, not Node: test-worker tests it.)
test-wasm:
	PATH="$(WASMEXEC):$$PATH" GOOS=js GOARCH=wasm $(GO) test -count=1 ./core/... \
		$$(GOOS=js GOARCH=wasm $(GO) list ./wasm/... | grep -v /wasm/worker$$)

## test-worker: the gateway's Worker as make worker built it, in workerd, Cloudflare's runtime
## (from npm), in front of the sandbox served with TLS-MA: the gateway's handler cases over HTTP
test-worker: deps worker $(WORKERD_NPM)
	WORKERD="$(WORKERD)" WORKER_BUILD="$(CURDIR)/$(WORKER_DIR)" $(GO) test -count=1 -run Workerd ./wasm/worker

## test-frontend: the frontend's unit tests under Node, then its browser tests (Playwright in
## headless Chromium, axe on every screen; screenshots in frontend/test-results/screens): the
## components, answered by saved views, and the journeys, against the eps-tracker make build made
test-frontend: build
	cd frontend && npm run --silent test:unit && EPS_TRACKER="$(CURDIR)/$(BIN)" npm run --silent test:browser

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./core/... ./wasm/...

fmt-check:
	@out=$$("$$($(GO) env GOROOT)/bin/gofmt" -l core cmd internal wasm frontend/*.go); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

## check-imports: prove core/ imports no host (Wails, syscall/js, syumai), and that what a
## browser links (BROWSER_PACKAGES) links no net/http, crypto/tls or PKCS#12, natively and in wasm
check-imports:
	@for target in "GOOS=$$($(GO) env GOOS)" "GOOS=js GOARCH=wasm"; do \
		bad=$$( { env $$target $(GO) list -deps ./core/... | grep -E '$(HOST_MODULES)'; \
			env $$target $(GO) list -f '{{.ImportPath}}: {{join .Imports " "}} {{join .TestImports " "}}' ./core/... | grep -w 'syscall/js'; } || true); \
		if [ -n "$$bad" ]; then echo "core/ imports a host package ($$target):"; echo "$$bad"; exit 1; fi; \
		bad=$$(env $$target $(GO) list -deps $(BROWSER_PACKAGES) | grep -E '^($(NATIVE_ONLY))$$' || true); \
		if [ -n "$$bad" ]; then echo "the core a browser links links what only native hosts may ($$target):"; echo "$$bad"; \
			echo "(find who with: $(GO) list -f '{{.ImportPath}}: {{.Imports}}' -deps $(BROWSER_PACKAGES))"; exit 1; fi; \
	done; echo "core/ imports no host package, and what a browser links links no net/http (native and wasm)"
	@bad=$$(GOOS=js GOARCH=wasm $(GO) build $(WIDGET_GOFLAGS) -ldflags=-dumpdep -o /dev/null ./wasm/widget 2>&1 | \
		grep -o '^[^ ]* <ReflectMethod>' | sort -u || true); \
	if [ -n "$$bad" ]; then echo "the widget looks methods up by reflection, so the linker keeps every exported method of every type:"; \
		echo "$$bad"; exit 1; fi; echo "the widget looks no method up by reflection"

## frontend: build the user interface (the full-page app and the <eps-tracker> widget) into
## frontend/dist, installing the pinned npm packages first whenever package-lock.json changed
frontend: deps frontend/dist/eps-tracker.js

FRONTEND_SRC := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/tsconfig.json -type f 2>/dev/null)

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

frontend/dist/eps-tracker.js: frontend/node_modules/.installed $(FRONTEND_SRC) $(WASM)
	cd frontend && GO="$(GO)" npm run --silent build

# BASELINE is the floor the widget's start-up is measured against: the
# smallest Go WebAssembly that answers a check (./wasm/baseline), built as
# the widget is.
BASELINE := bin/baseline.wasm

$(BASELINE): $(wildcard wasm/baseline/*.go)
	@mkdir -p $(@D)
	GOOS=js GOARCH=wasm $(GO) build $(WIDGET_GOFLAGS) -o $@ ./wasm/baseline

## bench: run the benchmarks and print the figures the project tracks: the core's; the gateway's
## under a fixed load on loopback, beside a bare reverse proxy, and what its audit write adds; the widget's
## in headless Chromium (frontend/bench); what a browser downloads for it (make size); the
## Worker's added latency in workerd; each beside its baseline from the same run
bench: deps build $(BASELINE) worker $(WORKERD_NPM)
	@mkdir -p bin
	$(GO) test -run '^$$' -bench . -skip '^BenchmarkGatewayLoad$$' -benchmem -count 1 ./core/... ./internal/cli ./internal/auditstore | tee bin/bench.txt
	$(GO) test -run '^$$' -bench '^BenchmarkGatewayLoad$$' -benchtime 10x -count 1 ./internal/auditstore | tee -a bin/bench.txt
	@scripts/bench-summary.sh bin/bench.txt
	@cd frontend && EPS_TRACKER="$(CURDIR)/$(BIN)" BASELINE_WASM="$(CURDIR)/$(BASELINE)" \
		WASM_EXEC="$(WASMEXEC)/wasm_exec.js" npm run --silent bench
	@echo
	@GO="$(GO)" scripts/size.sh frontend/dist $(WIDGET_BUDGET) $(WIDGET_GOFLAGS)
	@echo
	@WORKERD="$(WORKERD)" WORKER_BUILD="$(CURDIR)/$(WORKER_DIR)" \
		$(GO) test -run '^$$' -bench '^BenchmarkWorkerd$$' -benchtime 1000x -count 1 ./wasm/worker

## fuzz: run every fuzz target for FUZZTIME each (default 30s)
fuzz: deps
	$(GO) test -run '^$$' -fuzz '^FuzzParseSearch$$' -fuzztime $(FUZZTIME) ./core/tracker
	$(GO) test -run '^$$' -fuzz '^FuzzParseRetrieve$$' -fuzztime $(FUZZTIME) ./core/tracker
	$(GO) test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME) ./core/validate
	$(GO) test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME) ./core/service
	$(GO) test -run '^$$' -fuzz '^FuzzSuggest$$' -fuzztime $(FUZZTIME) ./core/validate
	$(GO) test -run '^$$' -fuzz '^FuzzHandler$$' -fuzztime $(FUZZTIME) ./core/sandbox/sandboxhttp
	$(GO) test -run '^$$' -fuzz '^FuzzParseFaults$$' -fuzztime $(FUZZTIME) ./core/sandbox
	$(GO) test -run '^$$' -fuzz '^FuzzGateway$$' -fuzztime $(FUZZTIME) ./core/gateway
	$(GO) test -run '^$$' -fuzz '^FuzzReadBatch$$' -fuzztime $(FUZZTIME) ./internal/cli

clean:
	rm -rf bin frontend/build $(WORKER_DIR)
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete
