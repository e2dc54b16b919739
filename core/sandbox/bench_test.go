package sandbox

import (
	"context"
	"io"
	"net/url"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/transport"
)

// BenchmarkSearchInProcess is the cost of one search answered in-process,
// as the embedded sandbox answers it.
func BenchmarkSearchInProcess(b *testing.B) {
	s, _ := setup(b, Config{Seed: 1})
	reqs := searchRequests(s)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		resp, err := s.Get(ctx, reqs[i%len(reqs)])
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(resp, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "searches/s")
}

// BenchmarkNew is what a host pays for the sandbox as it starts: next to
// nothing, as the population is made on first use.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		New(Config{Seed: 1, Now: func() time.Time { return now }})
	}
}

// BenchmarkFirstSearch is a new sandbox's first search, which makes the
// population: what the first search of a session waits for.
func BenchmarkFirstSearch(b *testing.B) {
	req := searchRequests(New(Config{Seed: 1, Now: func() time.Time { return now }}))[0]
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := New(Config{Seed: 1, Now: func() time.Time { return now }}).Get(ctx, req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(resp, err)
		}
		resp.Body.Close()
	}
}

// searchRequests is a two-year search for every patient.
func searchRequests(s *Sandbox) []*transport.Request {
	var reqs []*transport.Request
	for _, p := range s.Patients() {
		u := &url.URL{Scheme: "http", Host: "sandbox", Path: "/mm/prescriptions",
			RawQuery: "format=trace-summary&nhsNumber=" + p.NHSNumber + "&earliestDate=20241124&latestDate=20261124"}
		reqs = append(reqs, &transport.Request{URL: u, Header: asid})
	}
	return reqs
}
