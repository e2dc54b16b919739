#!/bin/sh
# Measures what a browser downloads for the <eps-tracker> widget, as
# eps-tracker serve sends it: the entry script and every file it loads,
# found by following the names each script and stylesheet refers to, each
# in its brotli form when it has one (scripts/compress.sh made them).
# Beside each part, the same part of an empty Go program built with the
# same flags in this run: the floor any Go WebAssembly has. Fails when the
# widget is over the budget.
# Usage: scripts/size.sh DIST BUDGET_BYTES GOFLAGS…
set -eu
GO=${GO:-go}
dist=$1 budget=$2
shift 2
[ -f "$dist/eps-tracker.js" ] || { echo "size: $dist/eps-tracker.js is missing: run make widget" >&2; exit 1; }
command -v brotli >/dev/null 2>&1 || { echo "size: brotli is not installed: run make deps" >&2; exit 1; }

# served is the size of a file as serve sends it to a browser.
served() { if [ -f "$1.br" ]; then wc -c <"$1.br"; else wc -c <"$1"; fi; }

# The widget's files: the entry, then whatever the files found so far name.
files=eps-tracker.js
while :; do
	more=$(for f in $files; do grep -o 'assets/[A-Za-z0-9._-]*\.\(js\|css\|wasm\|svg\|png\|woff2\)' "$dist/$f" || true; done | sort -u)
	all=$(printf '%s\n' $files $more | sort -u)
	[ "$all" = "$(printf '%s\n' $files | sort -u)" ] && break
	files=$all
done

floor=$(mktemp -d)
trap 'rm -rf "$floor"' EXIT
printf 'package main\n\nfunc main() {}\n' >"$floor/main.go"
printf 'module floor\n' >"$floor/go.mod"
(cd "$floor" && GOOS=js GOARCH=wasm "$GO" build "$@" -o floor.wasm .)
floor_wasm=$(brotli -q 11 -c "$floor/floor.wasm" | wc -c)
floor_js=$(brotli -q 11 -c "$("$GO" env GOROOT)/lib/wasm/wasm_exec.js" | wc -c)

for f in $files; do
	case $f in
	*.wasm) kind=wasm ;; *.js) kind=js ;; *.css) kind=css ;; *) kind=other ;;
	esac
	echo "$kind $(served "$dist/$f") $f"
done | awk -v budget="$budget" -v fw="$floor_wasm" -v fj="$floor_js" '
function mb(n) { return sprintf("%.3f MB", n / 1e6) }
{ size[$1] += $2; count[$1]++; names[$1] = names[$1] (names[$1] == "" ? "" : ", ") $3; total += $2 }
END {
	print "The <eps-tracker> widget as a browser downloads it (brotli -q 11, as eps-tracker serve sends it),"
	print "beside an empty Go program built the same way:"
	printf "  %-6s %12s   %-24s %s\n", "part", "widget", "empty Go program", "files"
	printf "  %-6s %12s   %-24s %s\n", "wasm", mb(size["wasm"]), mb(fw), names["wasm"]
	printf "  %-6s %12s   %-24s %s\n", "js", mb(size["js"]), mb(fj) " (wasm_exec.js)", names["js"]
	printf "  %-6s %12s   %-24s %s\n", "css", mb(size["css"]), "", (count["css"] ? names["css"] : "none: the styles are in the shadow root, in the js")
	printf "  %-6s %12s   %-24s %d files, loaded when shown\n", "other", mb(size["other"]), "", count["other"]
	printf "  %-6s %12s   %-24s budget %s: %s\n", "total", mb(total), mb(fw + fj), mb(budget), (total <= budget ? "within" : "OVER")
	exit total > budget
}'
