#!/bin/sh
# Measures what a browser downloads for the core: builds a small GOOS=js
# program that checks an input with core/validate and searches the
# in-process sandbox with core/client, as the widget will, and prints its
# size as built and as a server sends it, compressed with brotli. Beside it,
# a program of the Go runtime and fmt alone, the floor any Go wasm has.
# Usage: scripts/wasm-size.sh (brotli comes with make deps)
set -eu
GO=${GO:-go}
command -v brotli >/dev/null 2>&1 || { echo "wasm-size: brotli is not installed: run make deps" >&2; exit 1; }
dir=bin/wasm-size # inside the module, so that the programs can import core/; always the same, so are the sizes
rm -rf "$dir"
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/core" "$dir/floor"
cat >"$dir/core/main.go" <<'GO'
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

func main() {
	fmt.Println(validate.Check(validate.Input{NHSNumber: "9434765919"}, time.Now()).Err())
	c, err := client.New(client.WithSandbox(sandbox.Config{Seed: 1}))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Search(context.Background(), client.SearchQuery{NHSNumber: "9434765919"}))
}
GO
cat >"$dir/floor/main.go" <<'GO'
package main

import "fmt"

func main() { fmt.Println("EPS Tracker") }
GO
report() {
	GOOS=js GOARCH=wasm "$GO" build -trimpath -ldflags=-s -o "$dir/$1.wasm" "./$dir/$1"
	raw=$(wc -c <"$dir/$1.wasm")
	br=$(brotli -q 11 -c "$dir/$1.wasm" | wc -c)
	awk -v name="$2" -v raw="$raw" -v br="$br" 'BEGIN { printf "  %-30s %6.2f MB   brotli %5.2f MB (%d bytes)\n", name, raw / 1e6, br / 1e6, br }'
}
echo "What a browser downloads (GOOS=js GOARCH=wasm, -trimpath -ldflags=-s, brotli -q 11):"
report core "client + sandbox + validate"
report floor "Go runtime and fmt alone"
if GOOS=js GOARCH=wasm "$GO" list -deps "./$dir/core" | grep -qx 'net/http'; then
	echo "  net/http: linked"
else
	echo "  net/http: not linked"
fi
