package cli

import (
	"context"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/service"
)

// BenchmarkBatch1000 tracks a list of 1,000 patients at concurrency 32
// against the in-process sandbox, as "eps-tracker search --batch" does.
func BenchmarkBatch1000(b *testing.B) {
	now := func() time.Time { return testNow }
	svc, err := service.New(service.WithClock(now))
	if err != nil {
		b.Fatal(err)
	}
	ps := sandbox.New(sandbox.Config{Now: now}).Patients()
	lines := make([]batchLine, 1000)
	for i := range lines {
		lines[i] = batchLine{line: i + 1, input: ps[i%len(ps)].NHSNumber}
	}
	opts := batchOptions{concurrency: 32}
	b.ReportAllocs()
	for b.Loop() {
		var found int
		results, _ := trackAll(context.Background(), svc, service.SearchQuery{}, lines, opts, func(r batchResult) {
			if r.Outcome == outcomeFound || r.Outcome == outcomeNone {
				found++
			}
		})
		if len(results) != 1000 || found != 1000 {
			b.Fatalf("%d results, %d tracked", len(results), found)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/1000-patients")
}
