//go:build !js

package main

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/gateway"
	"github.com/eps-tracker/eps-tracker/core/gateway/gatewaytest"
	"github.com/eps-tracker/eps-tracker/core/tracker"
)

// BenchmarkWorkerd measures what the gateway's Worker adds to a request
// over a Worker that only fetches: both in the same workerd, in front of
// the same sandbox reached with TLS-MA through the mTLS binding, asked in
// turn by one client, b.N times each, the same retrieve. The gateway checks
// the caller's token (RS256, as NHS CIS2 signs), validates the query, logs
// the audit record and answers; the baseline only fetches.
//
// It reports each Worker's latency at the 50th, 90th and 99th percentile,
// and the same percentiles of the gateway's added latency: for each pair
// of requests sent one after the other, how much longer the gateway's took
// (pairs, so that the load of the machine weighs on both alike).
func BenchmarkWorkerd(b *testing.B) {
	sp := startSpine(b)
	issuer, err := gatewaytest.NewIssuer(gateway.RS256)
	if err != nil {
		b.Fatal(err)
	}
	env := gatewayEnv(sp, issuer)
	env["RATE"] = "+Inf"
	w := startWorkerd(b, sp, env, false)
	var id string
	for _, p := range sp.sandbox.Patients() {
		if len(p.PrescriptionIDs) > 0 {
			id = p.PrescriptionIDs[0]
			break
		}
	}
	query := map[string]string{"format": tracker.RetrieveFormat}
	gatewayBase, _ := url.Parse(w.gateway + "/spine/mm/prescriptions")
	baselineBase, _ := url.Parse(w.baseline + "/mm/prescriptions")
	toGateway, _ := http.NewRequest(http.MethodGet, tracker.RetrieveURL(gatewayBase, id, query).String(), nil)
	toGateway.Header.Set("Authorization", "Bearer "+issuer.Token(gatewaytest.Claims{}))
	toBaseline, _ := http.NewRequest(http.MethodGet, tracker.RetrieveURL(baselineBase, id, query).String(), nil)

	// The first requests start the program, and warm both Workers up.
	for range 20 {
		for _, req := range []*http.Request{toGateway, toBaseline} {
			if _, err := timed(req, id); err != nil {
				b.Fatal(err)
			}
		}
	}
	var gw, base, added []time.Duration
	b.ResetTimer()
	for i := range b.N {
		pair := []*http.Request{toGateway, toBaseline}
		if i%2 == 1 {
			pair[0], pair[1] = pair[1], pair[0] // neither always goes first
		}
		var took [2]time.Duration
		for j, req := range pair {
			if took[j], err = timed(req, id); err != nil {
				b.Fatal(err)
			}
		}
		if i%2 == 1 {
			took[0], took[1] = took[1], took[0]
		}
		gw, base, added = append(gw, took[0]), append(base, took[1]), append(added, took[0]-took[1])
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	for _, p := range []int{50, 90, 99} {
		b.ReportMetric(ms(percentile(gw, p)), fmt.Sprintf("gateway-p%d-ms", p))
		b.ReportMetric(ms(percentile(base, p)), fmt.Sprintf("baseline-p%d-ms", p))
		b.ReportMetric(ms(percentile(added, p)), fmt.Sprintf("added-p%d-ms", p))
	}
	p50 := percentile(added, 50)
	verdict := "met"
	if p50 > 2*time.Millisecond {
		verdict = "MISSED"
	}
	if b.N == 1 {
		return // the run that sizes b.N: only the one after counts
	}
	b.Logf("the gateway's Worker adds %.2f ms to a request at p50 (p90 %.2f ms) over a JavaScript-only Worker doing the same fetch: target <= 2 ms %s"+
		" (p50 %.2f ms against %.2f ms; %d requests each, in turn)",
		ms(p50), ms(percentile(added, 90)), verdict, ms(percentile(gw, 50)), ms(percentile(base, 50)), len(gw))
}

// timed sends req, a retrieve of the prescription id, and returns how long
// its whole answer took.
func timed(req *http.Request, id string) (time.Duration, error) {
	start := time.Now()
	err := retrieved(req, id)
	return time.Since(start), err
}

// percentile is the p-th percentile of ds (nearest rank).
func percentile(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[max(0, (len(s)*p+99)/100-1)]
}
