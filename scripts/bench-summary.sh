#!/bin/sh
# Prints the figures EPS Tracker tracks from the output of go test -bench.
# Usage: scripts/bench-summary.sh bench.txt
set -eu
awk '
function val(name, unit,   i) {
	for (i = 1; i < NF; i++) if ($(i+1) == unit) { v[name, unit] = $i }
}
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	val(name, "ns/op"); val(name, "MB/s"); val(name, "B/op"); val(name, "allocs/op"); val(name, "searches/s")
	val(name, "bare-ns/search"); val(name, "client-ns/search"); val(name, "overhead-%"); val(name, "ms/1000-patients")
	val(name, "records/s"); val(name, "p50-ms"); val(name, "p99-ms")
	val(name, "gateway/proxy"); val(name, "new-tokens/proxy"); val(name, "proxy-req/s"); val(name, "gateway-req/s")
	val(name, "gateway-no-audit-req/s"); val(name, "gateway-new-tokens-req/s"); val(name, "gateway-p99-ms"); val(name, "gateway-no-audit-p99-ms")
	val(name, "audit-p50-added-ms"); val(name, "audit-p99-added-ms"); val(name, "audit-write-p50-ms"); val(name, "audit-write-p99-ms")
	val(name, "proxy-cpu-us/req"); val(name, "gateway-cpu-us/req"); val(name, "gateway-no-audit-cpu-us/req"); val(name, "gateway-new-tokens-cpu-us/req")
}
END {
	check = v["BenchmarkCheckSearch", "ns/op"] / 1000
	parse = v["BenchmarkParseSearch100", "ns/op"]; valid = v["BenchmarkJSONValid100", "ns/op"]
	ratio = valid / parse
	init_ = v["BenchmarkValidatorInit", "ns/op"] / 1000
	print ""
	print "EPS Tracker figures (one run, one machine)"
	printf "  validation per search input       %8.2f µs   target <= 5 µs     %s\n", check, (check <= 5 ? "met" : "MISSED")
	printf "  validation per retrieve input     %8.2f µs\n", v["BenchmarkCheckRetrieve", "ns/op"] / 1000
	printf "  parse, 100-prescription search    %8.0f µs   %6.1f MB/s\n", parse / 1000, v["BenchmarkParseSearch100", "MB/s"]
	printf "  json.Valid on the same bytes      %8.0f µs   %6.1f MB/s\n", valid / 1000, v["BenchmarkJSONValid100", "MB/s"]
	printf "  parse speed / json.Valid speed    %8.2f      target >= 0.50     %s\n", ratio, (ratio >= 0.5 ? "met" : "MISSED")
	printf "  allocations per search parse      %8d      (%d bytes)\n", v["BenchmarkParseSearch100", "allocs/op"], v["BenchmarkParseSearch100", "B/op"]
	printf "  validator one-time initialisation %8.1f µs   (%d allocations)\n", init_, v["BenchmarkValidatorInit", "allocs/op"]
	loop = v["BenchmarkSearchLoopback", "searches/s"]
	printf "  sandbox searches over loopback    %8.0f /s   target >= 10000/s  %s\n", loop, (loop >= 10000 ? "met" : "MISSED")
	printf "  sandbox searches in-process       %8.0f /s\n", v["BenchmarkSearchInProcess", "searches/s"]
	printf "  sandbox New, then its 1st search  %8.1f µs   then %.1f ms (the population is made on first use)\n", v["BenchmarkNew", "ns/op"] / 1000, v["BenchmarkFirstSearch", "ns/op"] / 1e6
	o = "BenchmarkClientOverhead"; oh = v[o, "overhead-%"]
	printf "  client search, in-process sandbox %8.1f µs   bare GET + parse of the same URL %.1f µs\n", v[o, "client-ns/search"] / 1000, v[o, "bare-ns/search"] / 1000
	printf "  client overhead, in-process       %8.1f %%    target <= 10%%          %s\n", oh, (oh <= 10 ? "met" : "MISSED")
	l = "BenchmarkClientOverheadLoopback"
	printf "  client overhead, loopback HTTP    %8.1f %%    (client %.0f µs, bare GET + parse %.0f µs)\n", v[l, "overhead-%"], v[l, "client-ns/search"] / 1000, v[l, "bare-ns/search"] / 1000
	printf "  batch of 1,000 patients, conc. 32 %8.0f ms\n", v["BenchmarkBatch1000", "ms/1000-patients"]
	w = "BenchmarkAuditWrite"
	printf "  audit store, 64 writers at once   %8.0f /s   a write: p50 %.2f ms, p99 %.2f ms\n", v[w, "records/s"], v[w, "p50-ms"], v[w, "p99-ms"]
	w = "BenchmarkAuditWriteOne"
	printf "  audit store, one writer           %8.0f /s   a write: p50 %.2f ms, p99 %.2f ms\n", v[w, "records/s"], v[w, "p50-ms"], v[w, "p99-ms"]
	printf "  gateway search, RS256 token       %8.1f µs   first seen; sent again %.1f µs\n", v["BenchmarkSearch/RS256/first", "ns/op"] / 1000, v["BenchmarkSearch/RS256/again", "ns/op"] / 1000
	g = "BenchmarkGatewayLoad"
	if (v[g, "gateway/proxy"] != "") {
		r = v[g, "gateway/proxy"]; proxy = v[g, "proxy-req/s"]
		printf "  gateway / bare reverse proxy      %8.2f      target >= 0.7      %s\n", r, (r >= 0.7 ? "met" : "MISSED")
		printf "    loopback, 32 clients: the gateway %.0f /s (EdDSA tokens, audit store synced), the proxy %.0f /s\n", v[g, "gateway-req/s"], proxy
		printf "    a new token every request       %8.2f      (%.0f /s: every signature checked)\n", v[g, "new-tokens/proxy"], v[g, "gateway-new-tokens-req/s"]
		printf "    no audit store                  %8.2f      (%.0f /s)\n", v[g, "gateway-no-audit-req/s"] / proxy, v[g, "gateway-no-audit-req/s"]
		if (v[g, "proxy-cpu-us/req"] != "")
			printf "    CPU a request, whole process    %8.0f µs   the proxy; the gateway %.0f µs (no audit store %.0f µs, new tokens %.0f µs)\n", v[g, "proxy-cpu-us/req"], v[g, "gateway-cpu-us/req"], v[g, "gateway-no-audit-cpu-us/req"], v[g, "gateway-new-tokens-cpu-us/req"]
		printf "  p99 added by the audit write      %8.2f ms   (p99 %.2f ms with the store, %.2f ms with no audit; p50 %+.2f ms)\n", v[g, "audit-p99-added-ms"], v[g, "gateway-p99-ms"], v[g, "gateway-no-audit-p99-ms"], v[g, "audit-p50-added-ms"]
		printf "    an audit write under that load  p50 %.2f ms, p99 %.2f ms\n", v[g, "audit-write-p50-ms"], v[g, "audit-write-p99-ms"]
	}
}' "$1"
