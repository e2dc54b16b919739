#!/bin/sh
# Measures the gateway's Cloudflare Worker as Cloudflare counts it against
# a Worker's size limit: its modules (the entry module, Go's wasm_exec.js
# and the gateway's WebAssembly) compressed with gzip. Beside it, Go
# programs built the same way, each adding a part the Worker cannot do
# without: the Go runtime alone, then net/http's handler side (the gateway
# is an http.Handler), then golang-jwt verifying RS256, ES256 and EdDSA.
# Fails when the Worker is over the budget.
# Usage: scripts/worker-size.sh DIR BUDGET_BYTES GOFLAGS…
set -eu
GO=${GO:-go}
dir=$1 budget=$2
shift 2
for f in worker.mjs wasm_exec.js gateway.wasm; do
	[ -f "$dir/$f" ] || { echo "worker-size: $dir/$f is missing: run make worker" >&2; exit 1; }
done
gz() { gzip -9 -c "$1" | wc -c; }

# The parts, as programs of this module (for its pinned golang-jwt), in a
# folder under bin/ that is removed afterwards.
mkdir -p bin
probe=$(mktemp -d bin/worker-size.XXXXXX)
trap 'rm -rf "$probe"' EXIT
mkdir "$probe/runtime" "$probe/nethttp" "$probe/jwt"
printf 'package main\n\nfunc main() {}\n' >"$probe/runtime/main.go"
cat >"$probe/nethttp/main.go" <<'GO'
package main

import (
	"net/http"
	"os"
)

func main() {
	r, _ := http.NewRequest(http.MethodGet, os.Args[0], nil)
	http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, r.URL.Path, 404) }).ServeHTTP(nil, r)
}
GO
cat >"$probe/jwt/main.go" <<'GO'
package main

import (
	"net/http"
	"os"

	"github.com/golang-jwt/jwt/v5"
)

func main() {
	r, _ := http.NewRequest(http.MethodGet, os.Args[0], nil)
	http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, r.URL.Path, 404) }).ServeHTTP(nil, r)
	p := jwt.NewParser(jwt.WithValidMethods([]string{"RS256", "ES256", "EdDSA"}))
	_, _ = p.Parse(r.Header.Get("Authorization"), func(*jwt.Token) (any, error) { return nil, nil })
}
GO
for part in runtime nethttp jwt; do
	GOOS=js GOARCH=wasm "$GO" build "$@" -o "$probe/$part.wasm" "./$probe/$part"
done

wasm=$(gz "$dir/gateway.wasm") js=$(($(gz "$dir/wasm_exec.js") + $(gz "$dir/worker.mjs")))
echo "$(gz "$probe/runtime.wasm") $(gz "$probe/nethttp.wasm") $(gz "$probe/jwt.wasm") $wasm $js" | awk -v budget="$budget" '
function mb(n) { return sprintf("%6.2f MB", n / 1e6) }
{
	runtime = $1; nethttp = $2; jwt = $3; wasm = $4; js = $5; total = wasm + js
	print "The gateway as a Cloudflare Worker, as Cloudflare counts it (gzip -9 of its modules):"
	printf "  %-44s %s\n", "the gateway (gateway.wasm)", mb(wasm)
	printf "  %-44s %s\n", "wasm_exec.js and worker.mjs", mb(js)
	printf "  %-44s %s   limit %s (paid plan): %s; free plan 3 MB: %s\n", "total", mb(total), mb(budget),
		(total <= budget ? "within" : "OVER"), (total <= 3e6 ? "within" : "over")
	print "What its parts cost (Go programs built the same way, gzip -9):"
	printf "  %-44s %s\n", "the Go runtime (an empty program)", mb(runtime)
	printf "  %-44s %s   (+%s)\n", "+ net/http, as an http.Handler uses it", mb(nethttp), mb(nethttp - runtime)
	printf "  %-44s %s   (+%s)\n", "+ golang-jwt, verifying RS256, ES256, EdDSA", mb(jwt), mb(jwt - nethttp)
	printf "  %-44s %s   (+%s)\n", "+ the rest: core (validation, tracker, ...)", mb(wasm), mb(wasm - jwt)
	exit total > budget
}'
