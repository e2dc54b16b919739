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
	(set +o pipefail; eval "$2") || printf '(exit status %d)\n' "$?"
}
eps-tracker() { "$bin" "$@"; }

show "An NHS number as people type it" 'eps-tracker validate --nhs-number "943 476 5919"'
show "Two digits typed the wrong way round" 'eps-tracker validate --nhs-number "943 476 9519"'
show "A prescription id in lower case, no hyphens, a zero for the letter O" 'eps-tracker validate --id c0c757a83008c2d930'
show "Dates the wrong way round" 'eps-tracker validate --nhs-number 9434765919 --from 10/06/2025 --to 01/01/2025'
show "Inputs from another program, one JSON object per line" "eps-tracker validate <<'EOF'
{\"kind\":\"search\",\"nhsNumber\":\"943 476 5919\",\"earliestDate\":\"2025-01-01\"}
{\"kind\":\"retrieve\",\"prescriptionId\":\"CBEF44-000X26-41E1B1\"}
{\"kind\":\"search\",\"nhsNumber\":\"1000070000\",\"prescriptionStatus\":\"lost\"}
EOF"
cd "$bodies"
show "A retrieve response, normalised" 'eps-tracker parse --compact retrieve < retrieve-ok.json'
show "A search response full of quirks, normalised (the first 30 lines)" 'eps-tracker parse search < search-quirks.json | head -30'
show "Not a tracker response: a proxy's error page" 'eps-tracker parse search < not-html.html'

# Tracking, as a pharmacy does it: with nothing configured, the built-in sandbox answers.
cd "$root"
nhs=$("$bin" sandbox patients | sed -n '1s/.*"nhsNumber":"\([0-9]*\)".*/\1/p')
spaced="${nhs:0:3} ${nhs:3:3} ${nhs:6}"
show "A patient's prescriptions, grouped current, future and past" "eps-tracker search --nhs-number '$spaced'"
id=$("$bin" sandbox patients | sed -n '1s/.*"prescriptionIds":\["\([^"]*\)".*/\1/p')
show "One prescription in full, its id typed in lower case without hyphens" "eps-tracker retrieve $(echo "$id" | tr -d - | tr 'A-Z' 'a-z')"
show "A mistyped NHS number: refused before anything is sent" "eps-tracker search --nhs-number '943 476 5918'"
work=$(mktemp -d)
{ echo "name,nhsNumber"; "$bin" sandbox patients | sed -n 's/.*"nhsNumber":"\([0-9]*\)".*/patient,\1/p' | head -8; echo "typo,943 476 5918"; } >"$work/todays-list.csv"
cd "$work"
show "A day's list, as CSV in and CSV out" "eps-tracker search --batch todays-list.csv --format csv --output results.csv; cat results.csv"
cd "$root"
rm -rf "$work"

# The sandbox: a faithful Spine simulator with synthetic patients.
cd "$root"
log=$(mktemp)
"$bin" sandbox --addr 127.0.0.1:0 >"$log" 2>&1 &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q '/mm/prescriptions' "$log" && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*/mm/prescriptions' "$log" | head -1)
show "The sandbox, started in the background" 'sed -n 1,2p "$log"'
show "Its synthetic patients (the first three)" 'eps-tracker sandbox patients | head -3'
nhs=$("$bin" sandbox patients | sed -n '1s/.*"nhsNumber":"\([0-9]*\)".*/\1/p')
from=$(date -d '2 years ago' +%Y%m%d) to=$(date +%Y%m%d)
show "A search of the last two years for the first patient, parsed" "curl -s -H 'Spine-From-Asid: 200000001234' '$url?format=trace-summary&nhsNumber=$nhs&earliestDate=$from&latestDate=$to' | eps-tracker parse search | head -40"
show "The same search with an NHS number that fails its check digit: Spine's refusal" "curl -s -H 'Spine-From-Asid: 200000001234' '$url?format=trace-summary&nhsNumber=9434765918'; echo"
printf '\nMore: bin/eps-tracker help\n'
