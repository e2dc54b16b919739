#!/usr/bin/env bash
# Shows eps-tracker at work on sample inputs, right and wrong.
# Usage: scripts/demo.sh [path to eps-tracker]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-bin/eps-tracker}
[[ $bin = /* ]] || bin=$root/$bin
bodies=$root/core/tracker/testdata/bodies

show() { # show DESCRIPTION COMMAND: print the command, then run it
	printf '\n\033[1m# %s\033[0m\n$ %s\n' "$1" "$2"
	eval "$2" || printf '(exit status %d)\n' "$?"
}
eps-tracker() { "$bin" "$@"; }

show "An NHS number as people type it" 'eps-tracker validate --nhs-number "943 476 5919"'
show "Two digits typed the wrong way round" 'eps-tracker validate --nhs-number "943 476 9519"'
show "A prescription id in lower case, no hyphens, a zero for the letter O" 'eps-tracker validate --id c0c757a83008c2d930'
show "Dates the wrong way round" 'eps-tracker validate --nhs-number 9434765919 --earliest-date 10/06/2025 --latest-date 01/01/2025'
show "Inputs from another program, one JSON object per line" "eps-tracker validate <<'EOF'
{\"kind\":\"search\",\"nhsNumber\":\"943 476 5919\",\"earliestDate\":\"2025-01-01\"}
{\"kind\":\"retrieve\",\"prescriptionId\":\"CBEF44-000X26-41E1B1\"}
{\"kind\":\"search\",\"nhsNumber\":\"1000070000\",\"prescriptionStatus\":\"lost\"}
EOF"
cd "$bodies"
show "A retrieve response, normalised" 'eps-tracker parse --compact retrieve < retrieve-ok.json'
show "A search response full of quirks, normalised (the first 30 lines)" 'eps-tracker parse search < search-quirks.json | head -30'
show "Not a tracker response: a proxy's error page" 'eps-tracker parse search < not-html.html'
printf '\nMore: bin/eps-tracker help\n'
