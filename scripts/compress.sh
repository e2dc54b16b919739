#!/bin/sh
# Precompresses the files that eps-tracker serve embeds, as it sends them:
# beside each text or WebAssembly file FILE, FILE.br (brotli -q 11, what
# browsers take) and FILE.gz (gzip -9, for the rest), each kept only when
# it is smaller. Two files at a time; the core's WebAssembly takes most of
# the time.
# Usage: scripts/compress.sh DIR (brotli comes with make deps)
set -eu
command -v brotli >/dev/null 2>&1 || { echo "compress: brotli is not installed: run make deps" >&2; exit 1; }
[ -d "$1" ] || { echo "compress: no directory $1" >&2; exit 1; }
find "$1" -type f \( -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.svg' -o -name '*.json' -o -name '*.wasm' \) -print0 |
	xargs -0 -n 1 -P 2 sh -c '
		f=$1
		brotli -q 11 -f -o "$f.br" "$f"
		gzip -9 -n -c "$f" >"$f.gz"
		size=$(wc -c <"$f")
		for c in "$f.br" "$f.gz"; do
			[ "$(wc -c <"$c")" -lt "$size" ] || rm -f "$c"
		done
	' compress
